import { z } from 'zod';

/**
 * What a client may ask of the replicated state machine, as zod schemas: the service validates NATS
 * and REST input with them (through `parseWith` of @kailash/contracts), and every replica validates
 * each committed entry again before applying it, so an entry no replica understands is refused the
 * same way everywhere instead of diverging. Times are epoch milliseconds; ids and revisions are
 * positive safe integers; 0 means "none" (no lease, a key that does not exist).
 */

export const KEY_MAX_LENGTH = 1_024;
/** Well under NATS' 1 MiB message limit, so a put and its reply always fit one message. */
export const VALUE_MAX_LENGTH = 256 * 1_024;
/** Below a second, clock skew between leaders would dominate; a day keeps forgotten leases bounded. */
export const LEASE_TTL_MIN_MS = 1_000;
export const LEASE_TTL_MAX_MS = 86_400_000;
export const TXN_MAX_OPS = 128;
export const RANGE_LIMIT_MAX = 10_000;
export const NAME_MAX_LENGTH = 256;
export const EXPIRE_MAX_IDS = 1_000;

/**
 * Keys under this prefix belong to locks and elections: written only by their commands and by lease
 * expiry. A client's put there is refused and a client's delete skips them, so a lock cannot be
 * released or an election won behind the rules' back. They can be read and watched.
 */
export const RESERVED_PREFIX = '_coord/';

const positiveInt = () => z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
const nonNegativeInt = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const keySchema = z.string().min(1).max(KEY_MAX_LENGTH);
export const valueSchema = z.string().max(VALUE_MAX_LENGTH);
/** A lease's id, which is also its fencing token: strictly increasing over all leases, never reused. */
export const leaseIdSchema = positiveInt();
export const revisionSchema = nonNegativeInt();
export const epochMsSchema = nonNegativeInt();
export const ttlMsSchema = z.number().int().min(LEASE_TTL_MIN_MS).max(LEASE_TTL_MAX_MS);
/** A lock or election name: any text without `/`, so `<prefix><name>/` never nests another name. */
export const nameSchema = z
  .string()
  .min(1)
  .max(NAME_MAX_LENGTH)
  .regex(/^[^/]+$/, 'must not contain /');
export const holderSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 printable ASCII characters without spaces');

/**
 * Which keys: one `key`; every key starting with `prefix` (`''` is every key); or `from` (inclusive)
 * up to `to` (exclusive; absent: to the last key). Keys order by UTF-16 code units, as `<` on strings.
 */
export const keyRangeSchema = z.union([
  z.strictObject({ key: keySchema }),
  z.strictObject({ prefix: z.string().max(KEY_MAX_LENGTH) }),
  z.strictObject({ from: z.string().max(KEY_MAX_LENGTH), to: keySchema.optional() }),
]);

/** A write goes through only while this lease is live (its id is its fencing token). */
export const fenceSchema = z.strictObject({ lease: leaseIdSchema });

export const putSchema = z.strictObject({
  op: z.literal('put'),
  key: keySchema,
  value: valueSchema,
  /** Attach the key to this lease (it is deleted when the lease ends); absent: detach. */
  lease: leaseIdSchema.optional(),
  prevKv: z.boolean().optional(),
  fence: fenceSchema.optional(),
});

export const deleteSchema = z.strictObject({
  op: z.literal('delete'),
  range: keyRangeSchema,
  prevKv: z.boolean().optional(),
  fence: fenceSchema.optional(),
});

export const rangeSchema = z.strictObject({
  op: z.literal('range'),
  range: keyRangeSchema,
  /** At most this many keys (in key order); `more` says whether keys were left out. */
  limit: z.number().int().min(1).max(RANGE_LIMIT_MAX).optional(),
  keysOnly: z.boolean().optional(),
  countOnly: z.boolean().optional(),
});

const compareOp = z.enum(['=', '!=', '<', '>']);
/**
 * etcd's Compare on one key. A key that does not exist has version, revisions and lease 0, and every
 * comparison of its value is false.
 */
export const compareSchema = z.discriminatedUnion('target', [
  z.strictObject({
    key: keySchema,
    target: z.enum(['version', 'createRevision', 'modRevision', 'lease']),
    op: compareOp,
    value: nonNegativeInt(),
  }),
  z.strictObject({ key: keySchema, target: z.literal('value'), op: compareOp, value: valueSchema }),
]);

const txnPutSchema = putSchema.omit({ fence: true });
const txnDeleteSchema = deleteSchema.omit({ fence: true });
export const txnOpSchema = z.discriminatedUnion('op', [txnPutSchema, txnDeleteSchema, rangeSchema]);

/**
 * etcd's Txn: if every compare holds, the `success` operations run, else the `failure` ones, in order
 * (a range sees the writes before it). All writes of one txn share one revision; a branch may not
 * write one key twice.
 */
export const txnSchema = z.strictObject({
  op: z.literal('txn'),
  compare: z.array(compareSchema).max(TXN_MAX_OPS),
  success: z.array(txnOpSchema).max(TXN_MAX_OPS),
  failure: z.array(txnOpSchema).max(TXN_MAX_OPS),
  fence: fenceSchema.optional(),
});

/**
 * Compare-and-set on one key: put `value` only if the key's mod revision is `expectedModRevision`
 * (0: the key must not exist) and, when given, its value is `expectedValue`.
 */
export const casSchema = z.strictObject({
  op: z.literal('cas'),
  key: keySchema,
  value: valueSchema,
  expectedModRevision: revisionSchema.optional(),
  expectedValue: valueSchema.optional(),
  lease: leaseIdSchema.optional(),
  prevKv: z.boolean().optional(),
  fence: fenceSchema.optional(),
});

/** Forget the change history before `revision`: a watch from an earlier revision is told it was compacted. */
export const compactSchema = z.strictObject({ op: z.literal('compact'), revision: revisionSchema });

export const leaseGrantSchema = z.strictObject({
  op: z.literal('lease.grant'),
  ttlMs: ttlMsSchema,
  /** Who holds it, for views and events; defaults to the session's client, or `anonymous`. */
  holder: holderSchema.optional(),
});
export const leaseKeepAliveSchema = z.strictObject({ op: z.literal('lease.keepalive'), id: leaseIdSchema });
export const leaseRevokeSchema = z.strictObject({ op: z.literal('lease.revoke'), id: leaseIdSchema });
/**
 * Proposed by the leader only, for the leases `dueLeases` found at its clock: each is ended (and its
 * keys deleted) if it is still past its deadline at the entry's time; a lease kept alive meanwhile stays.
 */
export const leaseExpireSchema = z.strictObject({
  op: z.literal('lease.expire'),
  ids: z.array(leaseIdSchema).min(1).max(EXPIRE_MAX_IDS),
});

/**
 * etcd's mutex: the lease's waiter key `_coord/lock/<name>/<lease>` is created (once per lease); the
 * waiter with the lowest create revision owns the lock, and that revision is its fencing token.
 */
export const lockAcquireSchema = z.strictObject({
  op: z.literal('lock.acquire'),
  name: nameSchema,
  lease: leaseIdSchema,
});
export const lockReleaseSchema = z.strictObject({
  op: z.literal('lock.release'),
  name: nameSchema,
  lease: leaseIdSchema,
});

/**
 * etcd's election: a candidate's key `_coord/election/<name>/<lease>` holds its value; the lowest create
 * revision leads. `proclaim` changes the leader's value (refused unless the lease leads); `resign` leaves.
 */
export const campaignSchema = z.strictObject({
  op: z.literal('election.campaign'),
  name: nameSchema,
  lease: leaseIdSchema,
  value: valueSchema,
});
export const proclaimSchema = z.strictObject({
  op: z.literal('election.proclaim'),
  name: nameSchema,
  lease: leaseIdSchema,
  value: valueSchema,
});
export const resignSchema = z.strictObject({
  op: z.literal('election.resign'),
  name: nameSchema,
  lease: leaseIdSchema,
});

/** A client session for exactly-once proposals; it lives as long as its lease (the client id). */
export const sessionOpenSchema = z.strictObject({
  op: z.literal('session.open'),
  ttlMs: ttlMsSchema,
  holder: holderSchema.optional(),
});
export const sessionCloseSchema = z.strictObject({ op: z.literal('session.close'), clientId: leaseIdSchema });

export const commandSchema = z.discriminatedUnion('op', [
  putSchema,
  deleteSchema,
  rangeSchema,
  txnSchema,
  casSchema,
  compactSchema,
  leaseGrantSchema,
  leaseKeepAliveSchema,
  leaseRevokeSchema,
  leaseExpireSchema,
  lockAcquireSchema,
  lockReleaseSchema,
  campaignSchema,
  proclaimSchema,
  resignSchema,
  sessionOpenSchema,
  sessionCloseSchema,
]);

/**
 * Exactly-once (Raft thesis §6.3): `seq` numbers a client's proposals 1, 2, 3…; `ack` says every
 * response below it has reached the client, so the replicas may forget those. A proposal whose `seq`
 * was applied already gets the cached response; one below the forgotten floor is refused.
 */
export const sessionStampSchema = z.strictObject({
  clientId: leaseIdSchema,
  seq: positiveInt(),
  ack: nonNegativeInt().optional(),
});

/**
 * One Raft entry's payload. `now` is the leader's clock when it proposed: every replica decides lease
 * deadlines on it (never on its own clock), and the state machine's time never goes back.
 */
export const proposalSchema = z.strictObject({
  now: epochMsSchema,
  session: sessionStampSchema.optional(),
  command: commandSchema,
});

export type KeyRange = z.infer<typeof keyRangeSchema>;
export type Fence = z.infer<typeof fenceSchema>;
export type PutCommand = z.infer<typeof putSchema>;
export type DeleteCommand = z.infer<typeof deleteSchema>;
export type RangeCommand = z.infer<typeof rangeSchema>;
export type Compare = z.infer<typeof compareSchema>;
export type TxnOp = z.infer<typeof txnOpSchema>;
export type TxnCommand = z.infer<typeof txnSchema>;
export type CasCommand = z.infer<typeof casSchema>;
export type CompactCommand = z.infer<typeof compactSchema>;
export type LeaseGrantCommand = z.infer<typeof leaseGrantSchema>;
export type LeaseKeepAliveCommand = z.infer<typeof leaseKeepAliveSchema>;
export type LeaseRevokeCommand = z.infer<typeof leaseRevokeSchema>;
export type LeaseExpireCommand = z.infer<typeof leaseExpireSchema>;
export type LockAcquireCommand = z.infer<typeof lockAcquireSchema>;
export type LockReleaseCommand = z.infer<typeof lockReleaseSchema>;
export type CampaignCommand = z.infer<typeof campaignSchema>;
export type ProclaimCommand = z.infer<typeof proclaimSchema>;
export type ResignCommand = z.infer<typeof resignSchema>;
export type SessionOpenCommand = z.infer<typeof sessionOpenSchema>;
export type SessionCloseCommand = z.infer<typeof sessionCloseSchema>;
export type Command = z.infer<typeof commandSchema>;
export type CommandOp = Command['op'];
export type SessionStamp = z.infer<typeof sessionStampSchema>;
export type Proposal = z.infer<typeof proposalSchema>;
