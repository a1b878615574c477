import { z } from 'zod';
import { ERROR_CODES } from '@kailash/contracts';
import type { ErrorCode } from '@kailash/contracts';
import type { CommandOp } from './commands';

/**
 * What the state machine answers, as zod schemas (a client library validates replies with them) and
 * the types inferred from them. Revisions follow etcd: the store's revision grows by one per write
 * (a put, a delete that deleted something, a txn that wrote, a lease ending that deleted keys).
 */

const int = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/**
 * One key as stored: `createRevision` is the revision that created it (since its last delete),
 * `modRevision` the last that changed it, `version` the number of puts since creation, `lease` 0 or
 * the lease it is attached to.
 */
export const keyValueSchema = z.strictObject({
  key: z.string(),
  value: z.string(),
  createRevision: int(),
  modRevision: int(),
  version: int(),
  lease: int(),
});
export type KeyValue = z.infer<typeof keyValueSchema>;

/**
 * One change, in apply order. A DELETE's `kv` has the key and the deleting revision as `modRevision`
 * (everything else empty), and `prevKv` the key as it was; a PUT's `prevKv` is the key before the put,
 * if it existed. `revision` is the change's revision (all changes of one write share it).
 */
export const watchEventSchema = z.strictObject({
  type: z.enum(['PUT', 'DELETE']),
  revision: int(),
  kv: keyValueSchema,
  prevKv: keyValueSchema.optional(),
});
export type WatchEvent = z.infer<typeof watchEventSchema>;

/** A lease as clients see it. `id` is also its fencing token. */
export const leaseViewSchema = z.strictObject({
  id: int(),
  holder: z.string(),
  ttlMs: int(),
  grantedAt: int(),
  expiresAt: int(),
});
export type LeaseView = z.infer<typeof leaseViewSchema>;

/** A lock's current owner: its waiter key, lease, and fencing token (the key's create revision). */
export const lockOwnerSchema = z.strictObject({
  name: z.string(),
  key: z.string(),
  lease: int(),
  token: int(),
});
export type LockOwner = z.infer<typeof lockOwnerSchema>;

/**
 * An election's leader. `term` counts the leaders the election has had (1 for the first), so it grows
 * with every change of leader; `since` is when this leader took office (the entry's leader time).
 */
export const electionLeaderSchema = z.strictObject({
  name: z.string(),
  key: z.string(),
  lease: int(),
  value: z.string(),
  term: int(),
  since: int(),
  createRevision: int(),
});
export type ElectionLeader = z.infer<typeof electionLeaderSchema>;

/**
 * A fact worth publishing once (by the leader, with a message id derived from the Raft index): leases
 * granted, revoked and expired; locks acquired and released; election leaders taking office (and
 * elections left without one); sessions opened and closed.
 */
export const factSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('lease.granted'), lease: leaseViewSchema }),
  z.strictObject({ type: z.literal('lease.revoked'), lease: leaseViewSchema, deletedKeys: int() }),
  z.strictObject({ type: z.literal('lease.expired'), lease: leaseViewSchema, deletedKeys: int() }),
  z.strictObject({ type: z.literal('lock.acquired'), owner: lockOwnerSchema }),
  z.strictObject({ type: z.literal('lock.released'), owner: lockOwnerSchema }),
  z.strictObject({ type: z.literal('election.leader'), leader: electionLeaderSchema }),
  z.strictObject({ type: z.literal('election.vacant'), name: z.string(), term: int() }),
  z.strictObject({ type: z.literal('session.opened'), clientId: int(), lease: leaseViewSchema }),
  z.strictObject({ type: z.literal('session.closed'), clientId: int() }),
]);
export type Fact = z.infer<typeof factSchema>;

/**
 * Why a command was refused. `reason` is stable and machine-readable; `code` maps to HTTP/NATS:
 * - VALIDATION_FAILED: `invalid-command` (the entry failed the command schema), `reserved-key`,
 *   `duplicate-key` (a txn branch writes one key twice), `future-revision` (compact beyond the store).
 * - NOT_FOUND: `lease-not-found`, `session-not-found` (never opened, expired or closed).
 * - CONFLICT: the lease rules' `held`, `not-held`, `expired`, `stale-token`, `tokens-exhausted`;
 *   `compacted` (the revision is before the compaction), `not-leader` (proclaim by a non-leader),
 *   `stale-sequence` (a session's proposal older than what the replicas still remember).
 */
export const REFUSAL_REASONS = [
  'invalid-command',
  'reserved-key',
  'duplicate-key',
  'future-revision',
  'lease-not-found',
  'session-not-found',
  'held',
  'not-held',
  'expired',
  'stale-token',
  'tokens-exhausted',
  'compacted',
  'not-leader',
  'stale-sequence',
] as const;
export type RefusalReason = (typeof REFUSAL_REASONS)[number];

export const coordErrorSchema = z.strictObject({
  code: z.enum(ERROR_CODES as unknown as [ErrorCode, ...ErrorCode[]]),
  reason: z.enum(REFUSAL_REASONS),
  message: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type CoordError = z.infer<typeof coordErrorSchema>;

export const rangeResultSchema = z.strictObject({
  kvs: z.array(keyValueSchema),
  count: int(),
  more: z.boolean(),
});
export type RangeResult = z.infer<typeof rangeResultSchema>;

export const putResultSchema = z.strictObject({ prevKv: keyValueSchema.optional() });
export const deleteResultSchema = z.strictObject({
  deleted: int(),
  prevKvs: z.array(keyValueSchema).optional(),
});
export const txnOpResultSchema = z.discriminatedUnion('op', [
  putResultSchema.extend({ op: z.literal('put') }),
  deleteResultSchema.extend({ op: z.literal('delete') }),
  rangeResultSchema.extend({ op: z.literal('range') }),
]);
export type TxnOpResult = z.infer<typeof txnOpResultSchema>;

const lockHeld = z.strictObject({
  key: z.string(),
  /** The waiter key's create revision: the fencing token once it owns the lock. */
  token: int(),
  /** Whether this lease owns the lock now; if not, its `lock.acquired` fact comes when it does. */
  acquired: z.boolean(),
  owner: lockOwnerSchema,
});
const candidacy = z.strictObject({
  key: z.string(),
  createRevision: int(),
  /** Whether this lease leads now; if not, its `election.leader` fact comes when it does. */
  leader: z.boolean(),
  current: electionLeaderSchema,
});

/** The success value of each command, by its `op`. */
export const okResultSchemas = {
  put: putResultSchema,
  delete: deleteResultSchema,
  range: rangeResultSchema,
  txn: z.strictObject({ succeeded: z.boolean(), responses: z.array(txnOpResultSchema) }),
  cas: z.strictObject({
    succeeded: z.boolean(),
    prevKv: keyValueSchema.optional(),
    current: keyValueSchema.optional(),
  }),
  compact: z.strictObject({ compactRevision: int() }),
  'lease.grant': z.strictObject({ lease: leaseViewSchema }),
  'lease.keepalive': z.strictObject({ lease: leaseViewSchema }),
  'lease.revoke': z.strictObject({ deletedKeys: int() }),
  'lease.expire': z.strictObject({ expired: z.array(int()) }),
  'lock.acquire': lockHeld,
  'lock.release': z.strictObject({ released: z.boolean() }),
  'election.campaign': candidacy,
  'election.proclaim': z.strictObject({ leader: electionLeaderSchema }),
  'election.resign': z.strictObject({ resigned: z.boolean() }),
  'session.open': z.strictObject({ clientId: int(), lease: leaseViewSchema }),
  'session.close': z.strictObject({ closed: z.boolean() }),
} satisfies Record<CommandOp, z.ZodType>;

export type OkResult<Op extends CommandOp> = z.infer<(typeof okResultSchemas)[Op]>;

/**
 * A command's answer: `{ok: true, op, revision, ...value}` or `{ok: false, op, revision, error}`.
 * `revision` is the store's revision after the command (etcd's response header revision).
 */
export type Response<Op extends CommandOp = CommandOp> = Op extends CommandOp
  ? | ({ readonly ok: true; readonly op: Op; readonly revision: number } & OkResult<Op>)
    | { readonly ok: false; readonly op: Op; readonly revision: number; readonly error: CoordError }
  : never;

const responseSchemas = new Map<CommandOp, z.ZodType>();

/** Validates a reply for `op` (a client library's check of what a replica sent). */
export function responseSchema<Op extends CommandOp>(op: Op): z.ZodType<Response<Op>> {
  let schema = responseSchemas.get(op);
  if (!schema) responseSchemas.set(op, (schema = buildResponseSchema(op)));
  return schema as z.ZodType<Response<Op>>;
}

function buildResponseSchema<Op extends CommandOp>(op: Op): z.ZodType<Response<Op>> {
  const ok = (okResultSchemas[op] as z.ZodObject).extend({
    ok: z.literal(true),
    op: z.literal(op),
    revision: int(),
  });
  const refused = z.strictObject({
    ok: z.literal(false),
    op: z.literal(op),
    revision: int(),
    error: coordErrorSchema,
  });
  return z.union([ok, refused]) as unknown as z.ZodType<Response<Op>>;
}
