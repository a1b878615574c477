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
  'load',
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

/**
 * What a range query may ask for: the aggregations above and `rate`, the per-second increase of a
 * counter (a drop is a counter reset, as in Prometheus; see monitor-svc's README).
 */
export const METRIC_QUERY_AGGREGATIONS = [...METRIC_AGGREGATIONS, 'rate'] as const;
export const metricQueryAggregationSchema = z.enum(METRIC_QUERY_AGGREGATIONS);
export type MetricQueryAggregation = z.output<typeof metricQueryAggregationSchema>;

/** Where an answer comes from: raw samples, 1-minute or 1-hour rollups. */
export const METRIC_RESOLUTIONS = ['raw', '1m', '1h'] as const;
export type MetricResolution = (typeof METRIC_RESOLUTIONS)[number];

/**
 * auto: chosen by step, `from` and range (see monitor-svc's README); raw; rollup: the coarsest
 * rollup the step fits; rollup_1m / rollup_1h: that rollup.
 */
export const METRIC_QUERY_SOURCES = ['auto', 'raw', 'rollup', 'rollup_1m', 'rollup_1h'] as const;

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
    aggregation: metricQueryAggregationSchema,
    /** auto: the coarsest resolution the step and `from` fit, and one still kept at `from`. */
    source: z.enum(METRIC_QUERY_SOURCES).default('auto'),
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
  /** Which table answered: raw samples, 1-minute or 1-hour rollups. */
  resolution: z.enum(METRIC_RESOLUTIONS),
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

const windowSchema = {
  from: timestamp,
  to: timestamp,
};
const windowAfter = {
  path: ['to'],
  message: 'must be after from',
};

/** Aggregations a whole-window answer (top-k, summary) can give per edge. */
export const topKMetricSchema = z
  .strictObject({
    metric: metricNameSchema,
    labels: metricLabelsSchema.optional(),
    ...windowSchema,
    aggregation: metricQueryAggregationSchema.default('avg'),
    k: z.number().int().min(1).max(100).default(10),
    /** desc: the highest values first (the busiest, slowest…); asc: the lowest. */
    order: z.enum(['desc', 'asc']).default('desc'),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), windowAfter);
export type TopKMetricRequest = z.output<typeof topKMetricSchema>;

export const topKMetricResultSchema = z.strictObject({
  resolution: z.enum(METRIC_RESOLUTIONS),
  edges: z.array(z.strictObject({ edgeId: z.string(), value: z.number() })),
});
export type TopKMetricResult = z.output<typeof topKMetricResultSchema>;

export const metricSummarySchema = z
  .strictObject({
    ...windowSchema,
    /** Only these metrics; all metrics with a series when absent. */
    metrics: z.array(metricNameSchema).min(1).max(64).optional(),
  })
  .refine((q) => Date.parse(q.to) > Date.parse(q.from), windowAfter);
export type MetricSummaryRequest = z.output<typeof metricSummarySchema>;

export const metricSummaryResultSchema = z.strictObject({
  from: z.string(),
  to: z.string(),
  resolution: z.enum(METRIC_RESOLUTIONS),
  metrics: z.array(
    z.strictObject({
      metric: z.string(),
      /** Edges with a series of this metric, whenever they last reported. */
      edges: z.number().int().nonnegative(),
      /** Edges with at least one sample in the window. */
      edgesReporting: z.number().int().nonnegative(),
      samples: z.number().int().nonnegative(),
      /** Over every sample of the window, fleet-wide; null when there is none. */
      avg: z.number().nullable(),
      min: z.number().nullable(),
      max: z.number().nullable(),
      p95: z.number().nullable(),
      /** The newest sample of the metric, in or after the window. */
      latestAt: z.string().nullable(),
    }),
  ),
});
export type MetricSummaryResult = z.output<typeof metricSummaryResultSchema>;

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

export const TopKMetric = defineQuery(MONITOR_DOMAIN, 'metric.topk', {
  data: topKMetricSchema,
  result: topKMetricResultSchema,
});

/** The original's `get_summary`: per metric, fleet-wide over a window. */
export const GetMetricSummary = defineQuery(MONITOR_DOMAIN, 'metric.summary', {
  data: metricSummarySchema,
  result: metricSummaryResultSchema,
});
