import { readFileSync } from 'node:fs';
import type { ComplianceZone, GeoPoint, WorkloadSpec } from '@kailash/contracts';
import {
  capacitySchema,
  complianceZoneSchema,
  geoPointSchema,
  tokenSchema,
  workloadSpecsSchema,
} from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ConfigError } from '@kailash/service-kit';
import { z } from 'zod';

/** `lat,lon` in degrees. */
const locationSchema = z.string().transform((text, ctx): GeoPoint => {
  const [lat, lon, ...rest] = text.split(',').map((part) => Number(part.trim()));
  const parsed = geoPointSchema.safeParse({ lat, lon });
  if (rest.length > 0 || !parsed.success) {
    ctx.addIssue({ code: 'custom', message: 'must be <lat>,<lon> in degrees (lat -90..90, lon -180..180)' });
    return z.NEVER;
  }
  return parsed.data;
});

const listOf = <T extends z.ZodType<unknown, string>>(item: T) =>
  z
    .string()
    .default('')
    .transform((text) =>
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean),
    )
    .pipe(z.array(item));

/** `cpu=4,memory=8192`: capacity per resource type. */
const capacityListSchema = z
  .string()
  .default('')
  .transform((text) =>
    Object.fromEntries(
      text
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .map((pair) => {
          const [key = '', value = ''] = pair.split('=');
          return [key.trim(), Number(value)];
        }),
    ),
  )
  .pipe(capacitySchema);

/** Inline JSON, or `@<path>` of a JSON file. */
const workloadsSchema = z
  .string()
  .default('[]')
  .transform((text, ctx): unknown => {
    try {
      return JSON.parse(text.startsWith('@') ? readFileSync(text.slice(1), 'utf8') : text);
    } catch (error) {
      ctx.addIssue({ code: 'custom', message: `must be JSON or @<file of JSON>: ${String(error)}` });
      return z.NEVER;
    }
  })
  .pipe(workloadSpecsSchema);

const ms = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

export const agentEnvSchema = z.object({
  EDGE_ID: tokenSchema,
  EDGE_NAME: z.string().trim().min(1).max(128).optional(),
  EDGE_REGION: z.string().regex(/^[a-z0-9-]{2,64}$/, 'must be 2-64 of a-z 0-9 -'),
  EDGE_LOCATION: locationSchema,
  EDGE_ZONES: listOf(complianceZoneSchema),
  EDGE_CAPACITY: capacityListSchema,
  /** The URL clients reach this agent's HTTP API at, recorded in the registry. */
  EDGE_ENDPOINT: z
    .url({ protocol: /^https?$/ })
    .max(2048)
    .optional(),
  EDGE_DATA_DIR: z.string().min(1),
  EDGE_WORKLOADS: workloadsSchema,
  EDGE_LEASE_TTL_MS: ms(1_000, 3_600_000, 10_000),
  /** Renew every TTL × this fraction: a third leaves two attempts before the deadline. */
  EDGE_LEASE_RENEW_FRACTION: z.coerce
    .number()
    .min(0.05)
    .max(0.5)
    .default(1 / 3),
  EDGE_HEARTBEAT_INTERVAL_MS: ms(100, 600_000, 2_000),
  EDGE_METRICS_INTERVAL_MS: ms(100, 3_600_000, 10_000),
  // The agent calls state-svc (register, lease, transitions), so it needs a key of state-svc's API_KEYS.
  SERVICE_API_KEY: z.string().min(16, 'must be at least 16 characters (a key of state-svc)'),
});

export interface AgentConfig {
  readonly edgeId: string;
  readonly name: string;
  readonly region: string;
  readonly location: GeoPoint;
  readonly zones: readonly ComplianceZone[];
  readonly capacity: Readonly<Record<string, number>>;
  readonly endpoint?: string;
  readonly dataDir: string;
  readonly workloads: readonly WorkloadSpec[];
  readonly leaseTtlMs: number;
  readonly renewEveryMs: number;
  readonly heartbeatIntervalMs: number;
  readonly metricsIntervalMs: number;
  /** Lease holder name: the edge and this process, so a restarted agent is a new holder. */
  readonly holder: string;
  readonly instanceId: string;
  readonly shutdownGraceMs: number;
}

export const AGENT_CONFIG = Symbol('AGENT_CONFIG');

/** Reads the EDGE_* variables; a bad value stops the agent at boot with a message naming the variable. */
export function loadAgentConfig(config: ServiceConfig): AgentConfig {
  const result = agentEnvSchema.safeParse(config.env);
  if (!result.success)
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`));
  const env = result.data;
  return {
    edgeId: env.EDGE_ID,
    name: env.EDGE_NAME ?? env.EDGE_ID,
    region: env.EDGE_REGION,
    location: env.EDGE_LOCATION,
    zones: env.EDGE_ZONES,
    capacity: env.EDGE_CAPACITY,
    ...(env.EDGE_ENDPOINT ? { endpoint: env.EDGE_ENDPOINT } : {}),
    dataDir: env.EDGE_DATA_DIR,
    workloads: env.EDGE_WORKLOADS,
    leaseTtlMs: env.EDGE_LEASE_TTL_MS,
    renewEveryMs: Math.max(50, Math.floor(env.EDGE_LEASE_TTL_MS * env.EDGE_LEASE_RENEW_FRACTION)),
    heartbeatIntervalMs: env.EDGE_HEARTBEAT_INTERVAL_MS,
    metricsIntervalMs: env.EDGE_METRICS_INTERVAL_MS,
    holder: `${env.EDGE_ID}/${config.instanceId}`,
    instanceId: config.instanceId,
    shutdownGraceMs: config.SHUTDOWN_GRACE_MS,
  };
}
