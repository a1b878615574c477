import { hostname } from 'node:os';
import { z } from 'zod';
import { apiKeysSchema } from './api-keys';

const token = /^[A-Za-z0-9_-]{1,64}$/;

/** Environment every service reads; a service can extend it with its own variables. */
export const baseEnvSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  // 0 asks the OS for a free port (tests).
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().min(1).default('0.0.0.0'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  KAILASH_NAMESPACE: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,31}$/, 'must match [a-z][a-z0-9_]{0,31}')
    .default('kailash'),
  INSTANCE_ID: z.string().regex(token, 'must be 1-64 of A-Z a-z 0-9 _ -').optional(),
  NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  NATS_USER: z.string().min(1).optional(),
  NATS_PASSWORD: z.string().min(1).optional(),
  NATS_TOKEN: z.string().min(1).optional(),
  // Absent only in a service without a database (its defaults name none).
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  API_KEYS: apiKeysSchema,
  // The key this service presents when it calls another service over NATS (one of that service's API_KEYS).
  SERVICE_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  // Reads (GET routes, NATS queries) need a key too unless this is `open`; health, metrics and docs are always open.
  READ_AUTH: z.enum(['required', 'open']).default('required'),
  HTTP_BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(64 * 1024),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(1200),
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(10_000),
  // A projection failing to advance this long turns readiness to 503 (retrying briefly is normal).
  PROJECTION_STALL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // How long a consumer waits for a stream its writer has not created yet, before it reports failure.
  STREAM_WAIT_MS: z.coerce.number().int().min(0).max(3_600_000).default(300_000),
});

export type ServiceConfig = z.output<typeof baseEnvSchema> & {
  readonly service: string;
  readonly instanceId: string;
  /** The environment it was read from, for a slice to validate its own variables from (tests pass their own). */
  readonly env: Readonly<Record<string, string>>;
};

/** The database URL of a service that has one; a clear stop, naming the variable, if it is missing. */
export function databaseUrlOf(config: ServiceConfig): string {
  if (!config.DATABASE_URL) throw new ConfigError(['DATABASE_URL: required by a service with a database']);
  return config.DATABASE_URL;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export interface ConfigDefaults {
  readonly port: number;
  /** The database's default name; omitted by a service without one (DATABASE_URL is then not needed). */
  readonly database?: string;
}

/**
 * Reads and validates the environment. Every problem names its variable, so a bad or missing
 * setting stops the service at boot with a message that says what to fix.
 */
export function loadServiceConfig(
  service: string,
  defaults: ConfigDefaults,
  env: NodeJS.ProcessEnv = process.env,
): ServiceConfig {
  const withDefaults = {
    PORT: String(defaults.port),
    ...(defaults.database === undefined
      ? {}
      : { DATABASE_URL: `postgres://postgres@127.0.0.1:5432/${defaults.database}` }),
    ...stripEmpty(env),
  };
  const result = baseEnvSchema.safeParse(withDefaults);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  }
  const instanceId =
    result.data.INSTANCE_ID ??
    `${hostname()
      .replace(/[^A-Za-z0-9_-]/g, '-')
      .slice(0, 40)}-${process.pid}`;
  return { ...result.data, service, instanceId, env: stripEmpty(env) };
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => !!entry[1]));
}
