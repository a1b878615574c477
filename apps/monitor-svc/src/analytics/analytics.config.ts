import { metricLabelsSchema } from '@kailash/contracts';
import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';
import { HOST_CPU_LABELS } from '../health/metric-units';

const ms = (min: number, fallback: number) => z.coerce.number().int().min(min).default(fallback);

const analyticsEnvSchema = z.object({
  /** How often the active analyser looks for newly closed buckets. */
  ANALYTICS_TICK_MS: ms(100, 15_000),
  /**
   * A 1-minute bucket is fed once it ended this long ago, so samples still in flight (agent
   * windows, ingest lag) are in it; a sample landing in a bucket already fed is not analysed.
   */
  ANALYTICS_CLOSE_GRACE_MS: ms(0, 60_000),
  /** A series analysed for the first time (or again after a long stop) starts this far back. */
  ANALYTICS_BACKFILL_MS: ms(60_000, 24 * 3600_000),
  /** Most buckets fed to one series per tick, so a backlog is caught up in bounded steps. */
  ANALYTICS_MAX_BUCKETS_PER_TICK: z.coerce.number().int().min(1).max(100_000).default(1440),
  /** Detector score at or above which a bucket is an anomaly (the live detector's NAB threshold). */
  ANALYTICS_ANOMALY_THRESHOLD: z.coerce.number().gt(0).max(1).default(0.72),
  /**
   * JSON labels a cpu series must carry to count as the edge's CPU in get_analytics (default: the
   * host's busy share, `{"scope":"host"}`). Agents sharing one host all report the same host CPU,
   * so there the agent's own `{"scope":"process"}` is what tells the edges apart. Only percentage
   * series count, whatever the labels (metric-units.ts).
   */
  ANALYTICS_CPU_LABELS: z
    .string()
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: 'must be JSON (an object of labels)' });
        return z.NEVER;
      }
    })
    .pipe(metricLabelsSchema)
    .optional(),
});

export interface AnalyticsConfig {
  readonly tickMs: number;
  readonly closeGraceMs: number;
  readonly backfillMs: number;
  readonly maxBucketsPerTick: number;
  readonly threshold: number;
  /** Labels a cpu series must include to count as a utilisation; `{}` counts every percentage cpu series. */
  readonly cpuLabels: Readonly<Record<string, string>>;
}

export const DEFAULT_ANALYTICS_CONFIG: AnalyticsConfig = loadAnalyticsConfig({});

/** The analytics settings; a bad value stops the boot with the variable named. */
export function loadAnalyticsConfig(env: Readonly<Record<string, string | undefined>>): AnalyticsConfig {
  const result = analyticsEnvSchema.safeParse(env);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const data = result.data;
  return {
    tickMs: data.ANALYTICS_TICK_MS,
    closeGraceMs: data.ANALYTICS_CLOSE_GRACE_MS,
    backfillMs: data.ANALYTICS_BACKFILL_MS,
    maxBucketsPerTick: data.ANALYTICS_MAX_BUCKETS_PER_TICK,
    threshold: data.ANALYTICS_ANOMALY_THRESHOLD,
    cpuLabels: data.ANALYTICS_CPU_LABELS ?? HOST_CPU_LABELS,
  };
}
