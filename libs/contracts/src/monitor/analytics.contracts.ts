import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineCommand, defineEvent, defineQuery, tokenSchema } from '../envelope';
import { MONITOR_EDGE_AGGREGATE } from './health.contracts';
import { metricLabelsSchema, metricNameSchema, MONITOR_DOMAIN } from './metric.contracts';

/**
 * Live analytics of monitor-svc: which series are analysed (start_monitor / stop_monitor), the
 * anomalies the live detector finds in them, trends per series and recommendations per edge.
 */

const timestamp = z.iso.datetime();
const labelsOut = z.record(z.string(), z.string());

/** `*` stands for every edge or every metric in a stored selection. */
export const ANALYSIS_WILDCARD = '*';

/** What start_monitor / stop_monitor cover: an edge or all edges, some metrics or all metrics. */
export const analysisSelectionSchema = z.strictObject({
  /** Omitted: every edge, present and future. */
  edgeId: tokenSchema.optional(),
  /** Omitted: every metric, custom ones included. */
  metrics: z.array(metricNameSchema).min(1).max(64).optional(),
});
export type AnalysisSelection = z.output<typeof analysisSelectionSchema>;

export const analysisRuleSchema = z.strictObject({
  edge: z.string(),
  metric: z.string(),
  analysed: z.boolean(),
  actor: z.string(),
  updatedAt: z.string(),
});
export type AnalysisRule = z.output<typeof analysisRuleSchema>;

export const analysisRulesSchema = z.strictObject({
  /** Metrics analysed where no stored rule covers a series. */
  defaultMetrics: z.array(z.string()),
  rules: z.array(analysisRuleSchema),
});
export type AnalysisRules = z.output<typeof analysisRulesSchema>;

export const StartMonitor = defineCommand(MONITOR_DOMAIN, 'analysis.start', {
  data: analysisSelectionSchema,
  result: analysisRulesSchema,
});

export const StopMonitor = defineCommand(MONITOR_DOMAIN, 'analysis.stop', {
  data: analysisSelectionSchema,
  result: analysisRulesSchema,
});

export const ListMonitors = defineQuery(MONITOR_DOMAIN, 'analysis.list', {
  data: z.strictObject({}),
  result: analysisRulesSchema,
});

export const anomalySchema = z.strictObject({
  edgeId: z.string(),
  metric: z.string(),
  labels: labelsOut,
  /** Start of the 1-minute bucket whose mean was anomalous. */
  bucket: z.string(),
  /** The bucket's mean, what the detector saw. */
  value: z.number(),
  /** The detector's score in [0, 1]; at or above the threshold counts as an anomaly. */
  score: z.number(),
  detector: z.string(),
  detectedAt: z.string(),
});
export type Anomaly = z.output<typeof anomalySchema>;

export const MAX_ANOMALIES = 1000;

export const anomalyQuerySchema = z
  .strictObject({
    edgeId: tokenSchema.optional(),
    metric: metricNameSchema.optional(),
    /** Buckets at or after this. */
    from: timestamp.optional(),
    /** Buckets before this. */
    to: timestamp.optional(),
    limit: z.number().int().min(1).max(MAX_ANOMALIES).default(100),
  })
  .refine((q) => !q.from || !q.to || Date.parse(q.to) > Date.parse(q.from), {
    path: ['to'],
    message: 'must be after from',
  });
export type AnomalyQuery = z.output<typeof anomalyQuerySchema>;

export const anomalyListSchema = z.strictObject({ anomalies: z.array(anomalySchema) });
export type AnomalyList = z.output<typeof anomalyListSchema>;

export const QueryAnomalies = defineQuery(MONITOR_DOMAIN, 'anomaly.query', {
  data: anomalyQuerySchema,
  result: anomalyListSchema,
});

const MINUTE = 60_000;
const DAY = 24 * 3600_000;

export const trendRequestSchema = z.strictObject({
  edgeId: tokenSchema,
  metric: metricNameSchema,
  /** Series whose labels include all of these (every series of the metric on the edge when omitted). */
  labels: metricLabelsSchema.optional(),
  /** How far back the trend looks, ending now (default 6 h). */
  windowMs: z
    .number()
    .int()
    .min(10 * MINUTE)
    .max(7 * DAY)
    .default(6 * 3600_000),
  /** How far ahead the forecast reaches (default 1 h). */
  horizonMs: z.number().int().min(MINUTE).max(DAY).default(3600_000),
});
export type TrendRequest = z.output<typeof trendRequestSchema>;

const interval = z.strictObject({ value: z.number(), lower: z.number(), upper: z.number() });

export const seriesTrendSchema = z.strictObject({
  edgeId: z.string(),
  metric: z.string(),
  labels: labelsOut,
  from: z.string(),
  to: z.string(),
  stepMs: z.number(),
  /** Non-empty steps in the window. */
  points: z.number(),
  last: z.number(),
  /** Mean of the last 5, 15 and 60 steps, and an exponentially weighted mean (α = 0.1). */
  movingAverages: z.strictObject({
    short: z.number(),
    medium: z.number(),
    long: z.number(),
    ewma: z.number(),
  }),
  /** Slope per hour with its 95 % confidence interval (autocorrelation-corrected). */
  slopePerHour: interval.extend({ rSquared: z.number() }),
  changePoints: z.array(
    z.strictObject({ at: z.string(), before: z.number(), after: z.number(), method: z.string() }),
  ),
  forecast: interval.extend({ at: z.string(), model: z.string(), notes: z.array(z.string()) }),
});
export type SeriesTrend = z.output<typeof seriesTrendSchema>;

export const trendResultSchema = z.strictObject({ trends: z.array(seriesTrendSchema) });
export type TrendResult = z.output<typeof trendResultSchema>;

export const GetTrends = defineQuery(MONITOR_DOMAIN, 'trend.get', {
  data: trendRequestSchema,
  result: trendResultSchema,
});

export const RECOMMENDATION_ACTIONS = ['drain', 'scale-up', 'investigate', 'right-size'] as const;
export const RECOMMENDATION_SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

export const recommendationSchema = z.strictObject({
  edgeId: z.string(),
  action: z.enum(RECOMMENDATION_ACTIONS),
  severity: z.enum(RECOMMENDATION_SEVERITIES),
  /** 0..1: how far past the rule's line the evidence is (ranks recommendations of one severity). */
  impact: z.number(),
  reason: z.string(),
  evidence: z.array(
    z.strictObject({
      metric: z.string(),
      labels: labelsOut,
      measure: z.string(),
      value: z.number(),
      threshold: z.number().optional(),
      from: z.string(),
      to: z.string(),
    }),
  ),
});
export type Recommendation = z.output<typeof recommendationSchema>;

export const analyticsRequestSchema = z.strictObject({
  /** One edge; omitted: the whole fleet. */
  edgeId: tokenSchema.optional(),
  /** How far back utilisation, trends and anomalies are read, ending now (default 1 h). */
  windowMs: z
    .number()
    .int()
    .min(10 * MINUTE)
    .max(DAY)
    .default(3600_000),
});
export type AnalyticsRequest = z.output<typeof analyticsRequestSchema>;

export const analyticsResultSchema = z.strictObject({
  scope: z.strictObject({ edgeId: z.string().optional(), from: z.string(), to: z.string() }),
  trends: z.array(seriesTrendSchema),
  anomalies: z.array(anomalySchema),
  /** Most urgent first: by severity, then impact. */
  recommendations: z.array(recommendationSchema),
});
export type AnalyticsResult = z.output<typeof analyticsResultSchema>;

export const GetAnalytics = defineQuery(MONITOR_DOMAIN, 'analytics.get', {
  data: analyticsRequestSchema,
  result: analyticsResultSchema,
});

/**
 * The live detector found an anomalous 1-minute bucket; the event id is `anomaly-<series>-<bucket ms>`.
 * Of aggregate `edge` like the health events, so one subject per edge carries all its facts.
 */
export const AnomalyDetected = defineEvent('anomaly.detected', {
  aggregateType: MONITOR_EDGE_AGGREGATE,
  data: z.strictObject({
    edgeId: tokenSchema,
    metric: z.string(),
    labels: labelsOut,
    bucket: timestamp,
    value: z.number(),
    score: z.number().min(0).max(1),
    detector: z.string(),
  }),
});
export type AnomalyDetectedEvent = EventOf<typeof AnomalyDetected>;

export const ANALYTICS_EVENTS = [AnomalyDetected] as const;
