import {
  GetMetricSummary,
  isKailashError,
  metricQueryResultSchema,
  metricSummaryResultSchema,
  TopKMetric,
  topKMetricResultSchema,
} from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_AUTHORIZED } from '@kailash/service-kit/testing';
import { monitorService } from '../../test/monitor-svc';

describe('monitor-svc queries over REST and NATS: query_metrics, rate, top-k, get_summary', () => {
  let service: TestService;
  const now = Date.now();
  const from = new Date(now - 10 * 60_000).toISOString();
  const to = new Date(now + 1000).toISOString();

  beforeAll(async () => {
    service = await startTestService(monitorService);
    // Three edges: a request counter climbing 10×, 20×, 30× per sample, and a latency gauge.
    const samples = ['edge-x', 'edge-y', 'edge-z'].flatMap((edgeId, e) =>
      [0, 1, 2, 3].flatMap((i) => [
        {
          edgeId,
          metric: 'requests_total',
          value: (e + 1) * 10 * i,
          at: new Date(now - (4 - i) * 60_000).toISOString(),
        },
        {
          edgeId,
          metric: 'latency',
          value: 5 * (e + 1) + i,
          at: new Date(now - (4 - i) * 60_000).toISOString(),
        },
      ]),
    );
    const stored = await post('/series/samples', { samples });
    expect(stored.status).toBe(201);
  }, 60_000);
  afterAll(() => service?.close(), 30_000);

  const post = (path: string, body: unknown, headers: Record<string, string> = TEST_AUTHORIZED) =>
    fetch(`${service.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });

  it('query_metrics is the range query under the original name, with rate', async () => {
    const query = {
      metric: 'requests_total',
      edgeId: 'edge-y',
      from,
      to,
      stepMs: 3_600_000,
      aggregation: 'rate',
      source: 'raw',
    };
    const [alias, route] = [await post('/series/query_metrics', query), await post('/series/query', query)];
    expect([alias.status, route.status]).toEqual([200, 200]);
    const body = metricQueryResultSchema.parse(await alias.json());
    expect(body).toEqual(await route.json());
    // 3 rises of 20 over a one-hour bucket.
    expect(body.series[0]?.points[0]?.value).toBeCloseTo(60 / 3600, 12);
    const bad = await post('/series/query_metrics', { ...query, aggregation: 'increase' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await bad.json())).toContain('aggregation');
  });

  it('top-k over REST and NATS ranks the edges, needs a key and names a bad field', async () => {
    const request = { metric: 'latency', from, to, k: 2 };
    const unauthenticated = await post('/series/topk', request, { 'content-type': 'application/json' });
    expect(unauthenticated.status).toBe(401);
    const rest = await post('/series/topk', request);
    expect(rest.status).toBe(200);
    const body = topKMetricResultSchema.parse(await rest.json());
    expect(body.edges).toEqual([
      { edgeId: 'edge-z', value: 16.5 },
      { edgeId: 'edge-y', value: 11.5 },
    ]);
    const byRate = await service.client.send(TopKMetric, {
      metric: 'requests_total',
      from,
      to,
      aggregation: 'rate',
      k: 1,
    });
    expect(byRate.edges.map((e) => e.edgeId)).toEqual(['edge-z']);
    const badK = await post('/series/topk', { ...request, k: 0 });
    expect(badK.status).toBe(400);
    expect(JSON.stringify(await badK.json())).toContain('"k"');
    const refused = await service.client.send(TopKMetric, { ...request, to: from }).catch((error) => error);
    expect(isKailashError(refused) && refused.code).toBe('VALIDATION_FAILED');
    expect(JSON.stringify(refused.details)).toContain('to');
  });

  it('get_summary gives the fleet-wide figures per metric, the same over REST and NATS', async () => {
    const rest = await post('/series/get_summary', { from, to });
    expect(rest.status).toBe(200);
    const body = metricSummaryResultSchema.parse(await rest.json());
    const latency = body.metrics.find((m) => m.metric === 'latency');
    expect(latency).toMatchObject({ edges: 3, edgesReporting: 3, samples: 12, min: 5, max: 18 });
    expect(latency?.avg).toBeCloseTo((6.5 + 11.5 + 16.5) / 3, 9);
    expect(await service.client.send(GetMetricSummary, { from, to })).toEqual(body);
    expect((await post('/series/summary', { from, to, metrics: ['Bad Name'] })).status).toBe(400);
  });
});
