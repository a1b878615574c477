import type { SubjectSpace } from '@kailash/contracts';
import {
  ALERT_COMPARISONS,
  ALERT_SEVERITIES,
  CreateAlertRule,
  CreateSilence,
  DeleteAlertRule,
  DeleteSilence,
  GetAlertRule,
  GetAlerts,
  GetAnalytics,
  GetHealth,
  GetMetricSummary,
  GetTrends,
  HEALTH_STATUSES,
  LatestMetric,
  ListAlertRules,
  ListMonitors,
  ListSilences,
  METRIC_AGGREGATIONS,
  METRIC_QUERY_AGGREGATIONS,
  METRIC_QUERY_SOURCES,
  QueryAnomalies,
  QueryMetrics,
  RecordMetric,
  StartMonitor,
  StopMonitor,
  TopKMetric,
  UpdateAlertRule,
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
const alertRule = fc.record(
  {
    name: fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
    metric,
    edgeId,
    matchers: labels,
    aggregation: fc.constantFrom(...METRIC_AGGREGATIONS),
    windowMs: fc.integer({ min: 1000, max: 3600_000 }),
    comparison: fc.constantFrom(...ALERT_COMPARISONS),
    threshold: fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
    severity: fc.constantFrom(...ALERT_SEVERITIES),
    forMs: fc.integer({ min: 0, max: 3600_000 }),
    keepFiringForMs: fc.integer({ min: 0, max: 3600_000 }),
    repeatIntervalMs: fc.integer({ min: 1000, max: 86_400_000 }),
    groupBy: fc.array(fc.constantFrom('edge', 'severity', 'alertname'), { maxLength: 2 }),
    // Never delivered: rules the fuzz creates have nowhere real to notify.
    webhookUrl: fc.constant('http://127.0.0.1:9/alerts'),
  },
  { requiredKeys: ['name', 'metric', 'comparison', 'threshold'] },
);
const uuid = fc.uuid();
const silence = fc.record({
  matchers: fc.record({ alertname: fc.stringMatching(/^[a-z]{1,8}$/) }),
  endsAt: fc.constant(new Date(Date.now() + 3600_000).toISOString()),
  comment: fc.string({ maxLength: 40 }),
});
const alertFilter = fc.record(
  {
    state: fc.constantFrom('pending', 'firing', 'resolved'),
    severity: fc.constantFrom(...ALERT_SEVERITIES),
    edgeId,
    ruleId: uuid,
    from: fc.constant(new Date(Date.now() - 3600_000).toISOString()),
    limit: fc.integer({ min: 1, max: 1000 }),
  },
  { requiredKeys: [] },
);
const alertFilterText = alertFilter.map((filter) =>
  Object.fromEntries(Object.entries(filter).map(([key, value]) => [key, String(value)])),
);
const selection = fc.record(
  { edgeId, metrics: fc.array(metric, { minLength: 1, maxLength: 3 }) },
  { requiredKeys: [] },
);
const anomalies = fc.record(
  { edgeId, metric, limit: fc.integer({ min: 1, max: 1000 }) },
  { requiredKeys: [] },
);
const trends = fc.record({
  edgeId,
  metric,
  windowMs: fc.integer({ min: 600_000, max: 6 * 3600_000 }),
  horizonMs: fc.integer({ min: 60_000, max: 3600_000 }),
});
const analytics = fc.record(
  { edgeId, windowMs: fc.integer({ min: 600_000, max: 3600_000 }) },
  { requiredKeys: [] },
);

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
    { kind: 'rest', method: 'POST', path: '/alerts/rules', body: alertRule },
    { kind: 'rest', method: 'GET', path: '/alerts/rules' },
    { kind: 'rest', method: 'GET', path: '/alerts/rules/:ruleId', params: { ruleId: uuid } },
    { kind: 'rest', method: 'PUT', path: '/alerts/rules/:ruleId', params: { ruleId: uuid }, body: alertRule },
    { kind: 'rest', method: 'DELETE', path: '/alerts/rules/:ruleId', params: { ruleId: uuid } },
    { kind: 'rest', method: 'POST', path: '/alerts/silences', body: silence },
    { kind: 'rest', method: 'GET', path: '/alerts/silences' },
    { kind: 'rest', method: 'DELETE', path: '/alerts/silences/:silenceId', params: { silenceId: uuid } },
    { kind: 'rest', method: 'GET', path: '/alerts', query: alertFilterText },
    nats(CreateAlertRule, alertRule),
    nats(UpdateAlertRule, fc.record({ ruleId: uuid, spec: alertRule })),
    nats(DeleteAlertRule, fc.record({ ruleId: uuid })),
    nats(GetAlertRule, fc.record({ ruleId: uuid })),
    nats(ListAlertRules, fc.constant({})),
    nats(CreateSilence, silence),
    nats(DeleteSilence, fc.record({ silenceId: uuid })),
    nats(ListSilences, fc.constant({})),
    nats(GetAlerts, alertFilter),
    { kind: 'rest', method: 'POST', path: '/analytics/monitors/start', body: selection },
    { kind: 'rest', method: 'POST', path: '/analytics/monitors/stop', body: selection },
    { kind: 'rest', method: 'GET', path: '/analytics/monitors' },
    { kind: 'rest', method: 'POST', path: '/analytics/anomalies/query', body: anomalies },
    { kind: 'rest', method: 'POST', path: '/analytics/trends', body: trends },
    { kind: 'rest', method: 'POST', path: '/analytics', body: analytics },
    nats(StartMonitor, selection),
    nats(StopMonitor, selection),
    nats(ListMonitors, fc.constant({})),
    nats(QueryAnomalies, anomalies),
    nats(GetTrends, trends),
    nats(GetAnalytics, analytics),
  ];
}
