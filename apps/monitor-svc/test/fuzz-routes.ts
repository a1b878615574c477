import type { SubjectSpace } from '@kailash/contracts';
import {
  GetHealth,
  GetMetricSummary,
  HEALTH_STATUSES,
  LatestMetric,
  METRIC_QUERY_AGGREGATIONS,
  METRIC_QUERY_SOURCES,
  QueryMetrics,
  RecordMetric,
  TopKMetric,
} from '@kailash/contracts';
import type { FuzzRoute } from '@kailash/testing';
import { natsFuzzRoute } from '@kailash/testing';
import fc from 'fast-check';

const edgeId = fc.stringMatching(/^[a-z0-9-]{1,10}$/);
const metric = fc.constantFrom('cpu', 'latency', 'custom.thing');
const labels = fc.dictionary(fc.stringMatching(/^[a-z_]{1,8}$/), fc.string({ maxLength: 12 }), {
  maxKeys: 3,
});
/** Around now, inside the raw retention window, so valid samples are stored. */
const recentAt = fc
  .integer({ min: -3600_000, max: 0 })
  .map((offset) => new Date(Date.now() + offset).toISOString());
const sample = fc.record({
  edgeId,
  metric,
  labels,
  value: fc.double({ noNaN: true, min: -1e18, max: 1e18 }),
  at: recentAt,
});
const record = fc.record({ samples: fc.array(sample, { minLength: 1, maxLength: 5 }) });
const query = fc.record({
  metric,
  from: fc.constant(new Date(Date.now() - 3600_000).toISOString()),
  to: fc.constant(new Date(Date.now()).toISOString()),
  stepMs: fc.constantFrom(60_000, 300_000, 15_000),
  aggregation: fc.constantFrom(...METRIC_QUERY_AGGREGATIONS),
  source: fc.constantFrom(...METRIC_QUERY_SOURCES),
});
const latest = fc.record({ metric });
const hourAgo = fc.constant(new Date(Date.now() - 3600_000).toISOString());
const now = fc.constant(new Date(Date.now()).toISOString());
const topk = fc.record({
  metric,
  from: hourAgo,
  to: now,
  aggregation: fc.constantFrom(...METRIC_QUERY_AGGREGATIONS),
  k: fc.integer({ min: 1, max: 100 }),
  order: fc.constantFrom('asc', 'desc'),
});
const summary = fc.record({
  from: hourAgo,
  to: now,
  metrics: fc.array(metric, { minLength: 1, maxLength: 3 }),
});
const healthStatus = fc.constantFrom(...HEALTH_STATUSES);
const healthQuery = fc.record({ edgeId, status: healthStatus }, { requiredKeys: [] });

/**
 * Every REST route and NATS subject of monitor-svc with VALID input; the fuzz runner mixes in the
 * hostile rest. A new route or subject is fuzzed by adding it here.
 */
export function fuzzRoutes(subjects: SubjectSpace): FuzzRoute[] {
  const nats = (definition: Parameters<typeof natsFuzzRoute>[1], data: fc.Arbitrary<unknown>) =>
    natsFuzzRoute(subjects, definition, data);
  return [
    { kind: 'rest', method: 'POST', path: '/series/samples', body: record },
    { kind: 'rest', method: 'POST', path: '/series/query', body: query },
    { kind: 'rest', method: 'POST', path: '/series/query_metrics', body: query },
    { kind: 'rest', method: 'POST', path: '/series/latest', body: latest },
    { kind: 'rest', method: 'POST', path: '/series/topk', body: topk },
    { kind: 'rest', method: 'POST', path: '/series/summary', body: summary },
    { kind: 'rest', method: 'POST', path: '/series/get_summary', body: summary },
    nats(RecordMetric, record),
    nats(QueryMetrics, query),
    nats(LatestMetric, latest),
    nats(TopKMetric, topk),
    nats(GetMetricSummary, summary),
    {
      kind: 'rest',
      method: 'GET',
      path: '/health/edges',
      query: fc.record({ status: healthStatus }, { requiredKeys: [] }),
    },
    { kind: 'rest', method: 'GET', path: '/health/edges/:edgeId', params: { edgeId } },
    nats(GetHealth, healthQuery),
  ];
}
