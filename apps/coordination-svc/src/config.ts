import type { ServiceConfig } from '@kailash/service-kit';
import { ConfigError, loadServiceConfig } from '@kailash/service-kit';
import { z } from 'zod';
import type { ReplicaSettings } from './raft/replica';

export const COORD_SERVICE = 'coordination-svc';

const nodeId = z.coerce.number().int().min(1).max(1_000_000);

/** The replica's own variables; every problem names its variable, so a bad setting stops the boot. */
const coordEnvSchema = z
  .object({
    COORD_NODE_ID: nodeId,
    // Voters of a new cluster, e.g. `1,2,3`; every replica of the cluster gets the same list.
    COORD_PEERS: z
      .string()
      .default('')
      .transform((text, ctx) => {
        const ids = text
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '')
          .map(Number);
        if (ids.some((id) => !Number.isInteger(id) || id < 1 || id > 1_000_000)) {
          ctx.addIssue({
            code: 'custom',
            message: 'must be a comma-separated list of node ids (1..1000000)',
          });
          return z.NEVER;
        }
        if (new Set(ids).size !== ids.length) {
          ctx.addIssue({ code: 'custom', message: 'names a node id twice' });
          return z.NEVER;
        }
        return ids;
      }),
    // A replica added later (as a learner, through the admin API) starts with no membership of its own.
    COORD_JOIN: z.enum(['true', 'false']).default('false'),
    COORD_DATA_DIR: z.string().min(1).optional(),
    COORD_TICK_MS: z.coerce.number().int().min(5).max(1000).default(50),
    COORD_ELECTION_TICKS: z.coerce.number().int().min(3).max(1000).default(8),
    COORD_HEARTBEAT_TICKS: z.coerce.number().int().min(1).max(100).default(1),
    COORD_SNAPSHOT_ENTRIES: z.coerce.number().int().min(10).max(10_000_000).default(10_000),
    COORD_SNAPSHOT_KEEP: z.coerce.number().int().min(0).max(10_000_000).default(1_000),
    // InstallSnapshot sends a snapshot in chunks of this many bytes, each acknowledged.
    COORD_SNAPSHOT_CHUNK_BYTES: z.coerce
      .number()
      .int()
      .min(512)
      .max(512 * 1024)
      .default(256 * 1024),
    COORD_PROPOSAL_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(3_000),
    // The leader sends its appends before its own fsync, so the followers write in parallel with it.
    COORD_EARLY_APPENDS: z.enum(['true', 'false']).default('true'),
    // `off`: no history and no database (a replica in a network namespace that cannot reach PostgreSQL).
    COORD_HISTORY: z.enum(['on', 'off']).default('on'),
    // The WAL's fdatasync runs off the event loop; acknowledgements still wait for it. Off: measured slower.
    COORD_DEFERRED_SYNC: z.enum(['true', 'false']).default('false'),
  })
  .superRefine((env, ctx) => {
    const join = env.COORD_JOIN === 'true';
    if (!join && env.COORD_PEERS.length === 0)
      ctx.addIssue({ code: 'custom', path: ['COORD_PEERS'], message: 'required unless COORD_JOIN=true' });
    if (!join && env.COORD_PEERS.length > 0 && !env.COORD_PEERS.includes(env.COORD_NODE_ID))
      ctx.addIssue({ code: 'custom', path: ['COORD_PEERS'], message: 'must include COORD_NODE_ID' });
    if (env.COORD_SNAPSHOT_KEEP >= env.COORD_SNAPSHOT_ENTRIES)
      ctx.addIssue({
        code: 'custom',
        path: ['COORD_SNAPSHOT_KEEP'],
        message: 'must be below COORD_SNAPSHOT_ENTRIES (or every Ready would take a snapshot)',
      });
    if (env.COORD_HEARTBEAT_TICKS >= env.COORD_ELECTION_TICKS)
      ctx.addIssue({
        code: 'custom',
        path: ['COORD_HEARTBEAT_TICKS'],
        message: 'must be below COORD_ELECTION_TICKS',
      });
  });

/** Reads and validates the whole environment (the replica's variables too), so a bad one stops the boot. */
export function loadCoordConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  const database = env['COORD_HISTORY'] === 'off' ? undefined : defaultDatabase(env);
  const config = loadServiceConfig(COORD_SERVICE, { port: 3100, database }, env);
  replicaSettings(config);
  return config;
}

/** Whether this replica keeps its history in PostgreSQL (the default) or runs without a database. */
export function historyEnabled(config: ServiceConfig): boolean {
  return config.env['COORD_HISTORY'] !== 'off';
}

/**
 * Each replica keeps its history in a database of its own: by default `coordination_<namespace>_<id>`
 * on the local PostgreSQL, so replicas (and groups in other namespaces) never share one.
 */
export function defaultDatabase(env: NodeJS.ProcessEnv): string | undefined {
  const id = nodeId.safeParse(env['COORD_NODE_ID']);
  const namespace = env['KAILASH_NAMESPACE'] || 'kailash';
  // A bad id or namespace is reported by its own check; no default then.
  if (!id.success || !/^[a-z][a-z0-9_]{0,31}$/.test(namespace)) return undefined;
  return `coordination_${namespace}_${id.data}`;
}

/** The replica's settings, from the environment the config was read from. */
export function replicaSettings(base: ServiceConfig): ReplicaSettings {
  const parsed = coordEnvSchema.safeParse(base.env);
  if (!parsed.success)
    throw new ConfigError(
      parsed.error.issues.map((issue) => `${issue.path.join('.') || '(env)'}: ${issue.message}`),
    );
  const coord = parsed.data;
  const join = coord.COORD_JOIN === 'true';
  return {
    id: coord.COORD_NODE_ID,
    initialVoters: join ? [] : coord.COORD_PEERS,
    dataDir: coord.COORD_DATA_DIR ?? `data/coord-${coord.COORD_NODE_ID}`,
    namespace: base.KAILASH_NAMESPACE,
    tickMs: coord.COORD_TICK_MS,
    electionTick: coord.COORD_ELECTION_TICKS,
    heartbeatTick: coord.COORD_HEARTBEAT_TICKS,
    snapshotEntries: coord.COORD_SNAPSHOT_ENTRIES,
    snapshotKeep: coord.COORD_SNAPSHOT_KEEP,
    snapshotChunkBytes: coord.COORD_SNAPSHOT_CHUNK_BYTES,
    proposalTimeoutMs: coord.COORD_PROPOSAL_TIMEOUT_MS,
    earlyAppends: coord.COORD_EARLY_APPENDS === 'true',
    deferredSync: coord.COORD_DEFERRED_SYNC === 'true',
  };
}
