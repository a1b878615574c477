import type { MetricsBatch } from '@kailash/contracts';
import { metricSampleSchema } from '@kailash/contracts';
import { samplesOfBatch } from './batch-samples';

const batch: MetricsBatch = {
  edgeId: 'edge-1',
  instanceId: 'i-1',
  sequence: 3,
  windowStart: '2026-12-01T08:00:00.000Z',
  windowEnd: '2026-12-01T08:00:10.000Z',
  process: {
    cpuPercent: 37.5,
    rssBytes: 1234,
    heapUsedBytes: 1,
    eventLoopLagMs: { mean: 1, p99: 2, max: 3 },
  },
  host: {
    cpuCount: 4,
    cpuBusyPercent: 62.5,
    loadAverage1m: 6,
    memoryTotalBytes: 1000,
    memoryFreeBytes: 250,
    diskUsedBytes: 99,
    diskFreeBytes: 1,
  },
  workloads: [
    {
      workloadId: 'fn-a',
      kind: 'function',
      requests: 50,
      errors: 5,
      latency: { boundsMs: [10], counts: [40, 10], sumMs: 600, count: 50 },
      cacheHits: 20,
      coldStarts: 1,
      warmInstances: 1,
      idleWarmMemoryBytes: 0,
    },
    {
      workloadId: 'kv-idle',
      kind: 'kv',
      requests: 0,
      errors: 0,
      latency: { boundsMs: [10], counts: [0, 0], sumMs: 0, count: 0 },
      cacheHits: 0,
      coldStarts: 0,
      warmInstances: 0,
      idleWarmMemoryBytes: 0,
    },
  ],
};

describe('samplesOfBatch', () => {
  const samples = samplesOfBatch(batch);
  const value = (metric: string, labels: Record<string, string>) =>
    samples.find((s) => s.metric === metric && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

  it('maps the host and process gauges onto the edge', () => {
    expect(value('cpu', { scope: 'process' })).toBe(37.5);
    expect(value('cpu', { scope: 'host' })).toBe(62.5);
    expect(value('load', { scope: 'host_1m_per_core' })).toBe(1.5);
    expect(value('memory', { scope: 'process' })).toBe(1234);
    expect(value('memory', { scope: 'host_percent' })).toBe(75);
    expect(value('storage', { scope: 'data_dir' })).toBe(99);
  });

  it('never gives a cpu sample above 100 %, however loaded the host (load is its own metric)', () => {
    const cpu = samples.filter((s) => s.metric === 'cpu');
    expect(cpu.map((s) => s.labels['scope']).sort()).toEqual(['host', 'process']);
    expect(Math.max(...cpu.map((s) => s.value))).toBeLessThanOrEqual(100);
  });

  it('gives no host cpu for a batch of an agent that predates cpuBusyPercent, and still its load', () => {
    const { cpuBusyPercent: _omitted, ...olderHost } = batch.host;
    const older = samplesOfBatch({ ...batch, host: olderHost });
    expect(older.filter((s) => s.metric === 'cpu').map((s) => s.labels)).toEqual([{ scope: 'process' }]);
    expect(older.find((s) => s.metric === 'load')?.value).toBe(1.5);
  });

  it('derives per-workload rates over the window', () => {
    const labels = { workload: 'fn-a', kind: 'function' };
    expect(value('throughput', labels)).toBe(5);
    expect(value('error_rate', labels)).toBe(0.1);
    expect(value('cache_hit_rate', labels)).toBe(0.4);
    expect(value('latency', labels)).toBe(12);
  });

  it('emits no ratio for a workload that served nothing (no 0/0), only its throughput of 0', () => {
    const idle = samples.filter((s) => s.labels['workload'] === 'kv-idle');
    expect(idle.map((s) => [s.metric, s.value])).toEqual([['throughput', 0]]);
  });

  it('stamps every sample at the window end and each one is a valid sample', () => {
    for (const sample of samples) {
      expect(sample.at).toBe(batch.windowEnd);
      expect(() => metricSampleSchema.parse(sample)).not.toThrow();
    }
  });
});
