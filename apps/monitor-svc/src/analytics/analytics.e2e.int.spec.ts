import type { MetricSample } from '@kailash/contracts';
import {
  analyticsResultSchema,
  anomalyListSchema,
  isKailashError,
  MONITOR_DOMAIN,
  QueryAnomalies,
  StartMonitor,
  StopMonitor,
  trendResultSchema,
} from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_AUTHORIZED, TEST_PRINCIPAL } from '@kailash/service-kit/testing';
import { eventually, readStoredEvents } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { monitorService } from '../../test/monitor-svc';

const MINUTE = 60_000;
/** Whole minutes, so every bucket of the injected series is closed when it is written. */
const END = Math.floor(Date.now() / MINUTE) * MINUTE - 5 * MINUTE;

function series(
  edgeId: string,
  minutes: number,
  value: (i: number) => number,
  extra: Partial<MetricSample> = {},
) {
  return Array.from({ length: minutes }, (_, i) => ({
    edgeId,
    metric: 'cpu',
    labels: {},
    value: value(i),
    at: new Date(END - (minutes - i) * MINUTE + 30_000).toISOString(),
    ...extra,
  }));
}

describe('monitor-svc live analytics end to end (real NATS + PostgreSQL)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(monitorService, {
      ANALYTICS_TICK_MS: '250',
      ANALYTICS_CLOSE_GRACE_MS: '0',
    });
  }, 60_000);
  afterAll(() => service?.close(), 30_000);

  const post = (path: string, body: unknown, headers: Record<string, string> = TEST_AUTHORIZED) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('finds the anomaly of a series recorded with record_metric, stores it and publishes it once', async () => {
    const spikeAt = END - 100 * MINUTE + 30_000;
    const samples = series('spiky', 400, (i) =>
      i === 300 ? 99 : 40 + 8 * Math.sin((2 * Math.PI * i) / 30) + (i % 7) / 7,
    );
    expect(samples[300]?.at).toBe(new Date(spikeAt).toISOString());
    expect((await post('/series/samples', { samples })).status).toBe(201);
    const spikeBucket = new Date(spikeAt - 30_000).toISOString();
    const found = await eventually(
      'the spike is an anomaly',
      () => service.client.send(QueryAnomalies, { edgeId: 'spiky', metric: 'cpu' }),
      (result) => result.anomalies.some((a) => a.bucket === spikeBucket),
      30_000,
    );
    const viaRest = anomalyListSchema.parse(
      await (await post('/analytics/anomalies/query', { edgeId: 'spiky' })).json(),
    );
    expect(viaRest.anomalies).toEqual(found.anomalies);
    const jsm = await jetstreamManager(service.nc);
    const events = await eventually(
      'anomaly events published',
      () =>
        readStoredEvents(
          jsm,
          service.subjects.stream(MONITOR_DOMAIN),
          service.subjects.event(MONITOR_DOMAIN, 'edge', 'spiky'),
        ),
      (list) => list.length >= found.anomalies.length,
      15_000,
    );
    expect(events.map((e) => e.type)).toEqual(found.anomalies.map(() => 'anomaly.detected'));
    expect(events.filter((e) => e.data['bucket'] === spikeBucket)).toHaveLength(1);
    expect(new Set(events.map((e) => e.envelope['id'])).size).toBe(events.length);

    const trends = trendResultSchema.parse(
      await (
        await post('/analytics/trends', { edgeId: 'spiky', metric: 'cpu', windowMs: 6 * 3600_000 })
      ).json(),
    );
    const [trend] = trends.trends;
    expect(trend?.slopePerHour.lower).toBeLessThanOrEqual(trend?.slopePerHour.value ?? Number.NaN);
    expect(trend?.slopePerHour.upper).toBeGreaterThanOrEqual(trend?.slopePerHour.value ?? Number.NaN);
    expect(Number.isFinite(trend?.forecast.value)).toBe(true);
  }, 60_000);

  it('recommends draining and scaling up an edge whose CPU is pinned, with the reasons', async () => {
    const pinned = series('hot', 60, () => 97, { labels: { scope: 'host' } });
    const memory = series('hot', 60, () => 50, { metric: 'memory', labels: { scope: 'host_percent' } });
    expect((await post('/series/samples', { samples: [...pinned, ...memory] })).status).toBe(201);
    const response = await post('/analytics', { edgeId: 'hot', windowMs: 2 * 3600_000 });
    expect(response.status).toBe(200);
    const result = analyticsResultSchema.parse(await response.json());
    const actions = result.recommendations.map((r) => r.action);
    expect(actions.slice(0, 2)).toEqual(['drain', 'scale-up']);
    expect(result.recommendations[0]?.reason).toContain('cpu averages 97.0 %');
    expect(result.recommendations[0]?.evidence[0]).toMatchObject({ metric: 'cpu', value: 97 });
    expect(result.trends.map((t) => t.metric).sort()).toEqual(['cpu', 'memory']);
    const fleet = analyticsResultSchema.parse(await (await post('/analytics', {})).json());
    expect(fleet.recommendations[0]).toMatchObject({ edgeId: 'hot', action: 'drain' });
  }, 60_000);

  it('recommends nothing for a busy host whose cores have headroom: a load past 1 per core is not a CPU past 100 %', async () => {
    const samples = [
      ...series('loaded', 60, () => 40, { labels: { scope: 'host' } }),
      ...series('loaded', 60, () => 1.5, { metric: 'load', labels: { scope: 'host_1m_per_core' } }),
      // what earlier versions stored for the same host: 100 × load ÷ cores
      ...series('loaded', 60, () => 150, { labels: { scope: 'host_load' } }),
    ];
    expect((await post('/series/samples', { samples })).status).toBe(201);
    const result = analyticsResultSchema.parse(
      await (await post('/analytics', { edgeId: 'loaded', windowMs: 2 * 3600_000 })).json(),
    );
    expect(result.recommendations).toEqual([]);
  }, 60_000);

  it('start_monitor and stop_monitor need a key, name a bad field, and record who asked', async () => {
    expect((await post('/analytics/monitors/stop', {}, { 'Content-Type': 'application/json' })).status).toBe(
      401,
    );
    const bad = await post('/analytics/monitors/start', { metrics: ['Not A Metric'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('metrics.0');
    const refused = await service.client
      .send(StartMonitor, { edgeId: 'x', extra: 1 } as never)
      .catch((e: unknown) => e);
    expect(isKailashError(refused) && refused.code).toBe('VALIDATION_FAILED');
    const stopped = await post('/analytics/monitors/stop', { edgeId: 'hot', metrics: ['cpu'] });
    expect(stopped.status).toBe(200);
    expect(((await stopped.json()) as { rules: unknown[] }).rules).toEqual([
      expect.objectContaining({ edge: 'hot', metric: 'cpu', analysed: false, actor: TEST_PRINCIPAL }),
    ]);
    const listed = await fetch(`${service.url}/analytics/monitors`, { headers: TEST_AUTHORIZED });
    expect(((await listed.json()) as { rules: unknown[] }).rules).toHaveLength(1);
    const anonymous = await service.client
      .as(undefined)
      .send(StopMonitor, {})
      .catch((error: unknown) => error);
    expect(isKailashError(anonymous) && anonymous.code).toBe('UNAUTHORIZED');
    const started = await service.client.send(StartMonitor, { metrics: ['custom.queue_depth'] });
    expect(started.rules).toContainEqual(
      expect.objectContaining({
        edge: '*',
        metric: 'custom.queue_depth',
        analysed: true,
        actor: TEST_PRINCIPAL,
      }),
    );
    expect(started.rules).toHaveLength(2);
    // Stopping every edge replaces both narrower rules.
    expect((await service.client.send(StopMonitor, {})).rules).toEqual([
      expect.objectContaining({ edge: '*', metric: '*', analysed: false }),
    ]);
  }, 30_000);
});
