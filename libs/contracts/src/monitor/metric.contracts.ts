import { z } from 'zod';
import { defineCommand, defineQuery, tokenSchema } from '../envelope';

/**
 * Time series of monitor-svc. A series is (edge, metric, labels); a sample is a finite float at a
 * millisecond timestamp. Agents' metrics batches become samples of the well-known metrics below;
 * `record_metric` adds samples of any metric, well-known or custom.
 */

export const MONITOR_DOMAIN = 'monitor';

export const WELL_KNOWN_METRICS = [
  'latency',
  'throughput',
  'error_rate',
  'cpu',
  'memory',
  'storage',
  'network',
  'cache_hit_rate',
  'availability',
  'prediction_accuracy',
  'migration_progress',
] as const;

/** Lower-case words joined by `_` or `.`, as Prometheus names them; custom metrics follow the same rule. */
export const metricNameSchema = z
  .string()
  .regex(/^[a-z][a-z0-9_.]{0,63}$/, 'must be 1-64 characters: a-z first, then a-z 0-9 _ .');

const labelName = z.string().regex(/^[a-z_][a-z0-9_]{0,31}$/, 'must be 1-32 characters of a-z 0-9 _');
const labelValue = z
  .string()
  .max(128)
  .regex(/^[^\p{Cc}]*$/u, 'must be at most 128 characters without control characters');
export const metricLabelsSchema = z
  .record(labelName, labelValue)
  .refine((labels) => Object.keys(labels).length <= 16, 'must have at most 16 labels');

const timestamp = z.iso.datetime();

/** Sample value bound: |value| ≤ 1e18. */
export const METRIC_VALUE_LIMIT = 1e18;

export const metricSampleSchema = z.strictObject({
  edgeId: tokenSchema,
  metric: metricNameSchema,
  labels: metricLabelsSchema.default({}),
  /** Bounded so sums of any realistic number of samples stay finite in rollups and answers. */
  value: z
    .number()
    .min(-METRIC_VALUE_LIMIT, 'must be at least -1e18')
    .max(METRIC_VALUE_LIMIT, 'must be at most 1e18'),
  at: timestamp,
});
export type MetricSample = z.output<typeof metricSampleSchema>;

export const recordMetricSchema = z.strictObject({
  samples: z.array(metricSampleSchema).min(1).max(1000),
});
export type RecordMetricRequest = z.output<typeof recordMetricSchema>;

export const recordMetricResultSchema = z.strictObject({ accepted: z.number().int().nonnegative() });

export const METRIC_AGGREGATIONS = ['avg', 'min', 'max', 'sum', 'count', 'p50', 'p95', 'p99'] as const;
export const metricAggregationSchema = z.enum(METRIC_AGGREGATIONS);
export type MetricAggregation = z.output<typeof metricAggregationSchema>;

/** Most points one query may return (buckets × series), so a query can never ask for unbounded work. */
export const MAX_QUERY_POINTS = 20_000;

export const metricQuerySchema = z
  .strictObject({
    metric: metricNameSchema,
    edgeId: tokenSchema.optional(),
    /** Series whose labels include all of these. */
    labels: metricLabelsSchema.optional(),
    from: timestamp,
    to: timestamp,
    stepMs: z
      .number()
      .int()
      .min(1000)
      .max(31 * 24 * 3600_000),
    aggregation: metricAggregationSchema,
    /** auto: 1-minute rollups when the step is whole minutes and `from` a minute boundary, else raw. */
    source: z.enum(['auto', 'raw', 'rollup']).default('auto'),
  })
  .refine((query) => Date.parse(query.to) > Date.parse(query.from), {
    path: ['to'],
    message: 'must be after from',
  })
  .refine((query) => (Date.parse(query.to) - Date.parse(query.from)) / query.stepMs <= MAX_QUERY_POINTS, {
    path: ['stepMs'],
    message: `must leave at most ${MAX_QUERY_POINTS} buckets between from and to`,
  });
export type MetricQuery = z.output<typeof metricQuerySchema>;

const seriesKeySchema = z.strictObject({
  edgeId: tokenSchema,
  metric: metricNameSchema,
  labels: z.record(z.string(), z.string()),
});

export const metricQueryResultSchema = z.strictObject({
  source: z.enum(['raw', 'rollup']),
  series: z.array(
    seriesKeySchema.extend({
      /** One point per non-empty bucket; `at` is the bucket's start. */
      points: z.array(z.strictObject({ at: z.string(), value: z.number() })),
    }),
  ),
});
export type MetricQueryResult = z.output<typeof metricQueryResultSchema>;

export const latestMetricSchema = z.strictObject({
  metric: metricNameSchema,
  edgeId: tokenSchema.optional(),
});
export type LatestMetricRequest = z.output<typeof latestMetricSchema>;

export const latestMetricResultSchema = z.strictObject({
  series: z.array(seriesKeySchema.extend({ at: z.string(), value: z.number() })),
});
export type LatestMetricResult = z.output<typeof latestMetricResultSchema>;

export const RecordMetric = defineCommand(MONITOR_DOMAIN, 'metric.record', {
  data: recordMetricSchema,
  result: recordMetricResultSchema,
});

export const QueryMetrics = defineQuery(MONITOR_DOMAIN, 'metric.query', {
  data: metricQuerySchema,
  result: metricQueryResultSchema,
});

export const LatestMetric = defineQuery(MONITOR_DOMAIN, 'metric.latest', {
  data: latestMetricSchema,
  result: latestMetricResultSchema,
});
