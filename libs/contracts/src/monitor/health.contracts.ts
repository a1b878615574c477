import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineEvent, defineQuery, tokenSchema } from '../envelope';
import { metricLabelsSchema, metricNameSchema, MONITOR_DOMAIN } from './metric.contracts';

/**
 * Per-edge health as monitor-svc judges it from the stored samples, and the measured utilisation it
 * reports. Both are events of aggregate `edge` on the MONITOR stream; placement consumes them.
 */

export const MONITOR_EDGE_AGGREGATE = 'edge';

export const HEALTH_STATUSES = ['healthy', 'degraded', 'unhealthy', 'unknown'] as const;
export const healthStatusSchema = z.enum(HEALTH_STATUSES);
export type HealthStatus = z.output<typeof healthStatusSchema>;

/** Why an edge is not healthy: which rule's metric crossed which threshold, and since when. */
export const healthReasonSchema = z.strictObject({
  rule: z.string().min(1).max(64),
  metric: metricNameSchema,
  labels: metricLabelsSchema,
  level: z.enum(['degraded', 'unhealthy', 'unknown']),
  /** The worst value among the matching series at the evaluation; for `unknown`, the age of the last sample in ms. */
  value: z.number(),
  threshold: z.number(),
  /** `above`: bad when value ≥ threshold; `below`: bad when value ≤ threshold; `stale`: no sample for threshold ms. */
  comparison: z.enum(['above', 'below', 'stale']),
  /** When the value first crossed the threshold (without interruption); for `unknown`, the last sample's time. */
  since: z.iso.datetime(),
});
export type HealthReason = z.output<typeof healthReasonSchema>;

export const edgeHealthSchema = z.strictObject({
  edgeId: tokenSchema,
  status: healthStatusSchema,
  /** When the edge entered this status. */
  since: z.iso.datetime(),
  reasons: z.array(healthReasonSchema),
  /** The newest sample of any metric of the edge. */
  lastSampleAt: z.iso.datetime().nullable(),
  evaluatedAt: z.iso.datetime(),
});
export type EdgeHealth = z.output<typeof edgeHealthSchema>;

export const EdgeHealthChanged = defineEvent('edge.health.changed', {
  aggregateType: MONITOR_EDGE_AGGREGATE,
  data: z.strictObject({
    edgeId: tokenSchema,
    previous: healthStatusSchema,
    status: healthStatusSchema,
    /** Counts this edge's changes from 1: the n-th change of an edge is published once, whatever restarts. */
    change: z.number().int().min(1),
    reasons: z.array(healthReasonSchema),
    at: z.iso.datetime(),
  }),
});
export type EdgeHealthChangedEvent = EventOf<typeof EdgeHealthChanged>;

/** Share of a resource in use, 0 to 1. */
const fraction = z.number().min(0).max(1);

export const EdgeUtilisationReported = defineEvent('edge.utilisation.reported', {
  aggregateType: MONITOR_EDGE_AGGREGATE,
  data: z.strictObject({
    edgeId: tokenSchema,
    /** Only the resources that have a fresh sample; an absent one is not known, not zero. */
    utilisation: z.strictObject({
      cpu: fraction.optional(),
      memory: fraction.optional(),
      storage: fraction.optional(),
    }),
    at: z.iso.datetime(),
  }),
});
export type EdgeUtilisationReportedEvent = EventOf<typeof EdgeUtilisationReported>;

export const HEALTH_EVENTS = [EdgeHealthChanged, EdgeUtilisationReported] as const;
export type MonitorEdgeEvent = EdgeHealthChangedEvent | EdgeUtilisationReportedEvent;

export const getHealthSchema = z.strictObject({
  /** One edge; absent: every edge monitor-svc has samples of. */
  edgeId: tokenSchema.optional(),
  status: healthStatusSchema.optional(),
});
export type GetHealthRequest = z.output<typeof getHealthSchema>;

export const getHealthResultSchema = z.strictObject({ edges: z.array(edgeHealthSchema) });
export type GetHealthResult = z.output<typeof getHealthResultSchema>;

export const GetHealth = defineQuery(MONITOR_DOMAIN, 'health.get', {
  data: getHealthSchema,
  result: getHealthResultSchema,
});
