import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';
import type { PartitionPolicy } from './partitions';
import { DEFAULT_PARTITION_POLICY } from './partitions';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3600_000, d: 86_400_000 } as const;

/** `7d`, `36h`, `90m`, `500ms`: a positive duration with its unit. */
const durationSchema = z
  .string()
  .regex(/^\d+(ms|s|m|h|d)$/, 'must be a whole number with a unit: ms, s, m, h or d (e.g. 7d)')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(text) as RegExpExecArray;
    return Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  })
  .refine((ms) => ms >= 3600_000, 'must be at least 1h');

const seriesEnvSchema = z
  .object({
    RETENTION_RAW: durationSchema.default(7 * 86_400_000),
    RETENTION_1M: durationSchema.default(30 * 86_400_000),
    RETENTION_1H: durationSchema.default(365 * 86_400_000),
    /** How often partitions are created ahead and expired ones dropped. */
    PARTITION_MAINTENANCE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .default(10 * 60_000),
    /** Messages per TELEMETRY pull, all written in one transaction. */
    INGEST_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** How long a pull waits for messages; NATS wants at least 1 s (heartbeats every half of it). */
    INGEST_PULL_EXPIRES_MS: z.coerce.number().int().min(1000).max(60_000).default(5000),
    /** How long after a minute ends the materialiser waits for its late samples. */
    ROLLUP_GRACE_MS: z.coerce.number().int().min(0).max(3600_000).default(10_000),
    /** How often closed minutes are folded into the rollups. */
    ROLLUP_MATERIALISE_MS: z.coerce.number().int().min(1000).max(600_000).default(10_000),
  })
  // A sample the raw table accepts must find its rollup partitions still there.
  .refine((env) => env.RETENTION_1M >= env.RETENTION_RAW, {
    path: ['RETENTION_1M'],
    message: 'must be at least RETENTION_RAW',
  })
  .refine((env) => env.RETENTION_1H >= env.RETENTION_1M, {
    path: ['RETENTION_1H'],
    message: 'must be at least RETENTION_1M',
  });

export interface SeriesConfig {
  readonly partitions: PartitionPolicy;
  readonly maintenanceEveryMs: number;
  readonly ingest: { readonly batchSize: number; readonly pullExpiresMs: number };
  readonly rollups: { readonly graceMs: number; readonly everyMs: number };
}

/** monitor-svc's own settings; a bad value stops the boot with the variable named. */
export function loadSeriesConfig(env: Readonly<Record<string, string>>): SeriesConfig {
  const result = seriesEnvSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(problems);
  }
  return {
    partitions: {
      ...DEFAULT_PARTITION_POLICY,
      retentionMs: result.data.RETENTION_RAW,
      rollupRetentionMs: result.data.RETENTION_1M,
      hourlyRetentionMs: result.data.RETENTION_1H,
    },
    maintenanceEveryMs: result.data.PARTITION_MAINTENANCE_MS,
    ingest: { batchSize: result.data.INGEST_BATCH_SIZE, pullExpiresMs: result.data.INGEST_PULL_EXPIRES_MS },
    rollups: { graceMs: result.data.ROLLUP_GRACE_MS, everyMs: result.data.ROLLUP_MATERIALISE_MS },
  };
}
