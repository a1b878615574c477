import { z } from 'zod';
import { tokenSchema } from '../envelope';
import { edgeLifecycleSchema } from '../state/edge.schemas';

/**
 * What an edge agent publishes on `<ns>.telemetry.<kind>.<edgeId>` (stream TELEMETRY): a heartbeat
 * every few seconds and a metrics batch per window. Plain JSON messages, not events: telemetry is
 * high volume and kept by age, never replayed into a model.
 */

export const TELEMETRY_HEARTBEAT = 'heartbeat';
export const TELEMETRY_METRICS = 'metrics';

const count = z.number().int().nonnegative();
const amount = z.number().nonnegative();
const timestamp = z.iso.datetime();

export const heartbeatSchema = z.strictObject({
  edgeId: tokenSchema,
  instanceId: tokenSchema,
  /** Counts up from 1 per agent process: a gap means lost heartbeats, a reset a restart. */
  sequence: z.number().int().positive(),
  sentAt: timestamp,
  lifecycle: edgeLifecycleSchema,
  /** The fencing token of the lease the agent holds; null while it holds none. */
  fencingToken: z.number().int().positive().nullable(),
  uptimeMs: count,
});
export type Heartbeat = z.output<typeof heartbeatSchema>;

/** Upper bounds (ms) of the latency histogram's buckets; the last bucket counts everything above. */
export const LATENCY_BUCKETS_MS = [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000] as const;

export const latencyHistogramSchema = z.strictObject({
  boundsMs: z.array(amount),
  /** One more count than bounds: the overflow bucket. */
  counts: z.array(count),
  sumMs: amount,
  count,
});
export type LatencyHistogram = z.output<typeof latencyHistogramSchema>;

export const WORKLOAD_KINDS = ['function', 'kv'] as const;
export const workloadKindSchema = z.enum(WORKLOAD_KINDS);

/** One workload's figures over the batch's window (counters reset per window; gauges as of its end). */
export const workloadMetricsSchema = z.strictObject({
  workloadId: tokenSchema,
  kind: workloadKindSchema,
  requests: count,
  errors: count,
  latency: latencyHistogramSchema,
  cacheHits: count,
  coldStarts: count,
  warmInstances: count,
  idleWarmMemoryBytes: count,
});
export type WorkloadMetrics = z.output<typeof workloadMetricsSchema>;

export const processMetricsSchema = z.strictObject({
  /** CPU time of this process over the window, as a share of one core (can exceed 100 on several). */
  cpuPercent: amount,
  rssBytes: count,
  heapUsedBytes: count,
  eventLoopLagMs: z.strictObject({ mean: amount, p99: amount, max: amount }),
});

export const hostMetricsSchema = z.strictObject({
  cpuCount: count,
  /**
   * Share of all cores' time spent busy over the window (from the cores' time counters), 0–100.
   * Optional, so batches of agents that predate it still validate; an agent also leaves it out
   * when it cannot measure it (no clock tick elapsed, the set of cores changed).
   */
  cpuBusyPercent: z.number().min(0).max(100).optional(),
  /** The 1-minute load average: runnable tasks, not a share (on N cores, N is a full host). */
  loadAverage1m: amount,
  memoryTotalBytes: count,
  memoryFreeBytes: count,
  /** Bytes the agent's data directory holds, and the free space of its file system. */
  diskUsedBytes: count,
  diskFreeBytes: count,
});

export const metricsBatchSchema = z.strictObject({
  edgeId: tokenSchema,
  instanceId: tokenSchema,
  sequence: z.number().int().positive(),
  windowStart: timestamp,
  windowEnd: timestamp,
  process: processMetricsSchema,
  host: hostMetricsSchema,
  workloads: z.array(workloadMetricsSchema).max(256),
});
export type MetricsBatch = z.output<typeof metricsBatchSchema>;
