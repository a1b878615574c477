import type { MetricsBatch } from '@kailash/contracts';
import {
  isKailashError,
  LatestMetric,
  metricQueryResultSchema,
  QueryMetrics,
  RecordMetric,
  TELEMETRY_METRICS,
} from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_AUTHORIZED } from '@kailash/service-kit/testing';
import { eventually } from '@kailash/testing';
import { jetstream } from '@nats-io/jetstream';
import { monitorService } from '../test/monitor-svc';

/** A batch exactly as the edge agent's contract describes it, for the window ending at `end`. */
function agentBatch(edgeId: string, sequence: number, cpuPercent: number, end = Date.now()): MetricsBatch {
  return {
    edgeId,
    instanceId: 'agent-1',
    sequence,
    windowStart: new Date(end - 5000).toISOString(),
    windowEnd: new Date(end).toISOString(),
    process: {
      cpuPercent,
      rssBytes: 50_000_000,
      heapUsedBytes: 1,
      eventLoopLagMs: { mean: 1, p99: 2, max: 3 },
    },
    host: {
      cpuCount: 2,
      loadAverage1m: 0.5,
      memoryTotalBytes: 8e9,
      memoryFreeBytes: 2e9,
      diskUsedBytes: 10,
      diskFreeBytes: 10,
    },
    workloads: [],
  };
}

describe('monitor-svc end to end (real NATS + PostgreSQL)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(monitorService);
  }, 60_000);
  afterAll(() => service?.close(), 30_000);

  const post = (path: string, body: unknown, headers: Record<string, string> = TEST_AUTHORIZED) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('turns an agent metrics batch on TELEMETRY into queryable series', async () => {
    const js = jetstream(service.nc);
    // A window of two minutes ago: its minute is closed, so the materialiser's next round folds it.
    const windowEnd = Date.now() - 120_000;
    await js.publish(
      service.subjects.telemetry(TELEMETRY_METRICS, 'edge-a'),
      JSON.stringify(agentBatch('edge-a', 1, 42, windowEnd)),
    );
    const latest = await eventually(
      'edge-a cpu ingested',
      () => service.client.send(LatestMetric, { metric: 'cpu', edgeId: 'edge-a' }),
      (result) => result.series.length > 0,
      15_000,
    );
    expect(latest.series).toContainEqual(
      expect.objectContaining({ edgeId: 'edge-a', labels: { scope: 'process' }, value: 42 }),
    );
    const from = new Date(Math.floor(windowEnd / 60_000) * 60_000 - 60_000).toISOString();
    const to = new Date(Date.now() + 60_000).toISOString();
    const queryRollup = async () => {
      const query = await post('/series/query', {
        metric: 'memory',
        edgeId: 'edge-a',
        labels: { scope: 'host_percent' },
        from,
        to,
        stepMs: 180_000,
        aggregation: 'max',
      });
      expect(query.status).toBe(200);
      return metricQueryResultSchema.parse(await query.json());
    };
    // Rollups answer up to the materialiser's watermark, which moves every ROLLUP_MATERIALISE_MS.
    const body = await eventually(
      'edge-a memory folded into the 1-minute rollup',
      queryRollup,
      (result) => result.series.length > 0,
      30_000,
    );
    expect(body.source).toBe('rollup');
    expect(body.series[0]?.points[0]?.value).toBeCloseTo(75, 9);
  }, 60_000);

  it('record_metric over REST needs a key and refuses a bad sample naming its field', async () => {
    const sample = {
      edgeId: 'edge-b',
      metric: 'prediction_accuracy',
      value: 0.9,
      at: new Date().toISOString(),
    };
    expect(
      (await post('/series/samples', { samples: [sample] }, { 'content-type': 'application/json' })).status,
    ).toBe(401);
    const badValue = await post('/series/samples', { samples: [{ ...sample, value: 'high' }] });
    expect(badValue.status).toBe(400);
    expect(JSON.stringify(await badValue.json())).toContain('samples.0.value');
    const tooOld = await post('/series/samples', {
      samples: [sample, { ...sample, at: '2020-01-01T00:00:00.000Z' }],
    });
    expect(tooOld.status).toBe(400);
    expect(JSON.stringify(await tooOld.json())).toContain('samples.1.at');
    // Nothing of a refused request was stored.
    expect((await service.client.send(LatestMetric, { metric: 'prediction_accuracy' })).series).toEqual([]);
    const stored = await post('/series/samples', { samples: [sample, { ...sample, value: 0.7 }] });
    expect(stored.status).toBe(201);
    expect(await stored.json()).toEqual({ accepted: 2 });
  });

  it('record_metric over NATS is authenticated, and its samples are counted by query', async () => {
    const at = new Date().toISOString();
    const samples = [1, 2, 3].map((value) => ({
      edgeId: 'edge-c',
      metric: 'custom.queue_depth',
      labels: { queue: 'q1' },
      value,
      at,
    }));
    const refused = await service.client
      .as(undefined)
      .send(RecordMetric, { samples })
      .catch((error) => error);
    expect(isKailashError(refused) && refused.code).toBe('UNAUTHORIZED');
    expect(await service.client.send(RecordMetric, { samples })).toEqual({ accepted: 3 });
    const result = await service.client.send(QueryMetrics, {
      metric: 'custom.queue_depth',
      labels: { queue: 'q1' },
      from: new Date(Date.now() - 3600_000).toISOString(),
      to: new Date(Date.now() + 1000).toISOString(),
      stepMs: 7_200_000,
      aggregation: 'sum',
      source: 'raw',
    });
    expect(result.series.map((s) => s.points.map((p) => p.value))).toEqual([[6]]);
  });
});
