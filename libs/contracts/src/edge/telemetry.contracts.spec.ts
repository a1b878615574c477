import type { MetricsBatch } from './telemetry.contracts';
import { metricsBatchSchema } from './telemetry.contracts';

/** A batch as agents sent it before they measured the host's CPU busy share. */
const olderAgentBatch = {
  edgeId: 'edge-1',
  instanceId: 'i-1',
  sequence: 1,
  windowStart: '2026-12-01T08:00:00.000Z',
  windowEnd: '2026-12-01T08:00:10.000Z',
  process: { cpuPercent: 3, rssBytes: 10, heapUsedBytes: 5, eventLoopLagMs: { mean: 1, p99: 2, max: 3 } },
  host: {
    cpuCount: 2,
    loadAverage1m: 3,
    memoryTotalBytes: 100,
    memoryFreeBytes: 50,
    diskUsedBytes: 1,
    diskFreeBytes: 1,
  },
  workloads: [],
};

const withBusy = (cpuBusyPercent: unknown) => ({
  ...olderAgentBatch,
  host: { ...olderAgentBatch.host, cpuBusyPercent },
});

describe('metricsBatchSchema host CPU', () => {
  it('accepts a batch of an agent that predates cpuBusyPercent, and leaves it undefined', () => {
    const parsed: MetricsBatch = metricsBatchSchema.parse(olderAgentBatch);
    expect(parsed.host.cpuBusyPercent).toBeUndefined();
    expect(parsed.host.loadAverage1m).toBe(3);
  });

  it('accepts a busy share from 0 to 100 %', () => {
    expect(metricsBatchSchema.parse(withBusy(0)).host.cpuBusyPercent).toBe(0);
    expect(metricsBatchSchema.parse(withBusy(62.5)).host.cpuBusyPercent).toBe(62.5);
    expect(metricsBatchSchema.parse(withBusy(100)).host.cpuBusyPercent).toBe(100);
  });

  it('refuses a busy share outside 0–100 or not a number, naming the field', () => {
    for (const bad of [100.5, -1, Number.NaN, '50', null]) {
      const result = metricsBatchSchema.safeParse(withBusy(bad));
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['host', 'cpuBusyPercent']);
    }
  });
});
