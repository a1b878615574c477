import type { RequestDefinition } from '@kailash/contracts';
import { COORD_DOMAIN, defineCommand, defineQuery, SubjectSpace } from '@kailash/contracts';
import type { CommandOp, Response } from '@kailash/coordination';
import {
  campaignSchema,
  casSchema,
  compactSchema,
  deleteSchema,
  keyRangeSchema,
  keySchema,
  keyValueSchema,
  leaseGrantSchema,
  leaseIdSchema,
  leaseKeepAliveSchema,
  leaseRevokeSchema,
  leaseViewSchema,
  lockAcquireSchema,
  lockOwnerSchema,
  lockReleaseSchema,
  nameSchema,
  okResultSchemas,
  proclaimSchema,
  putSchema,
  rangeSchema,
  resignSchema,
  revisionSchema,
  sessionCloseSchema,
  sessionOpenSchema,
  sessionStampSchema,
  txnSchema,
  electionLeaderSchema,
  watchEventSchema,
} from '@kailash/coordination';
import { z } from 'zod';

/**
 * The coordination group's API: `<ns>.coord.cmd.<op>` for every command a client may propose (the
 * state machine's own schemas, plus the session stamp), `<ns>.coord.qry.<name>` for reads. A refused
 * command comes back as an error reply (its code and `details.reason` from the state machine), so a
 * result is always the success value, with the store's revision after the command.
 */
const withSession = <S extends z.ZodObject>(schema: S) =>
  schema.omit({ op: true }).extend({ session: sessionStampSchema.optional() });

const okResult = <Op extends CommandOp>(op: Op) =>
  (okResultSchemas[op] as z.ZodObject).extend({
    ok: z.literal(true),
    op: z.literal(op),
    revision: revisionSchema,
  }) as unknown as z.ZodType<Extract<Response<Op>, { ok: true }>>;

const command = <S extends z.ZodObject, Op extends CommandOp>(op: Op, schema: S) =>
  defineCommand(COORD_DOMAIN, op, { data: withSession(schema), result: okResult(op) });

/** Commands clients propose; `lease.expire` is absent: only the leader proposes it, on its clock. */
export const CoordPut = command('put', putSchema);
export const CoordDelete = command('delete', deleteSchema);
export const CoordTxn = command('txn', txnSchema);
export const CoordCas = command('cas', casSchema);
export const CoordCompact = command('compact', compactSchema);
export const CoordLeaseGrant = command('lease.grant', leaseGrantSchema);
export const CoordLeaseKeepAlive = command('lease.keepalive', leaseKeepAliveSchema);
export const CoordLeaseRevoke = command('lease.revoke', leaseRevokeSchema);
export const CoordLockAcquire = command('lock.acquire', lockAcquireSchema);
export const CoordLockRelease = command('lock.release', lockReleaseSchema);
export const CoordCampaign = command('election.campaign', campaignSchema);
export const CoordProclaim = command('election.proclaim', proclaimSchema);
export const CoordResign = command('election.resign', resignSchema);
export const CoordSessionOpen = command('session.open', sessionOpenSchema);
export const CoordSessionClose = command('session.close', sessionCloseSchema);

export const COORD_COMMANDS = [
  CoordPut,
  CoordDelete,
  CoordTxn,
  CoordCas,
  CoordCompact,
  CoordLeaseGrant,
  CoordLeaseKeepAlive,
  CoordLeaseRevoke,
  CoordLockAcquire,
  CoordLockRelease,
  CoordCampaign,
  CoordProclaim,
  CoordResign,
  CoordSessionOpen,
  CoordSessionClose,
] as const;

/** Linearizable (ReadIndex) by default; `serializable` reads the answering replica's applied state. */
export const consistencySchema = z.enum(['linearizable', 'serializable']).default('linearizable');
const int = () => z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const CoordGet = defineQuery(COORD_DOMAIN, 'kv.get', {
  data: z.strictObject({ key: keySchema, consistency: consistencySchema }),
  result: z.strictObject({ kv: keyValueSchema.nullable(), revision: int() }),
});

export const CoordRange = defineQuery(COORD_DOMAIN, 'kv.range', {
  data: rangeSchema.omit({ op: true }).extend({ consistency: consistencySchema }),
  result: okResultSchemas.range.extend({ revision: int() }),
});

/** Long poll: the changes from `fromRevision` on; waits up to `waitMs` for the first one. */
export const CoordWatch = defineQuery(COORD_DOMAIN, 'kv.watch', {
  data: z.strictObject({
    range: keyRangeSchema,
    fromRevision: int(),
    waitMs: z.number().int().min(0).max(30_000).default(0),
  }),
  result: z.strictObject({
    compacted: z.boolean(),
    compactRevision: int().optional(),
    events: z.array(watchEventSchema),
    revision: int(),
  }),
});

export const CoordLeaseInfo = defineQuery(COORD_DOMAIN, 'lease.info', {
  data: z.strictObject({ id: leaseIdSchema, consistency: consistencySchema }),
  result: z.strictObject({
    lease: leaseViewSchema.extend({ remainingMs: int(), keys: z.array(z.string()) }).nullable(),
  }),
});

export const CoordLockOwner = defineQuery(COORD_DOMAIN, 'lock.owner', {
  data: z.strictObject({ name: nameSchema, consistency: consistencySchema }),
  result: z.strictObject({ owner: lockOwnerSchema.nullable() }),
});

/** The original platform's `get_leader`, and etcd's election leader (its key, value and term). */
export const CoordElectionLeader = defineQuery(COORD_DOMAIN, 'election.leader', {
  data: z.strictObject({ name: nameSchema, consistency: consistencySchema }),
  result: z.strictObject({
    leader: electionLeaderSchema.nullable(),
    term: int(),
    stable: z.boolean(),
  }),
});

export const COORD_QUERIES = [
  CoordGet,
  CoordRange,
  CoordWatch,
  CoordLeaseInfo,
  CoordLockOwner,
  CoordElectionLeader,
] as const;

/** The token of the leader's own command subjects, `<ns>.coord.cmd.at-leader.<op>`. */
const AT_LEADER = 'at-leader';

/** `<ns>.coord.cmd.at-leader.`: what the leader (and only it) subscribes to, followed by `>`. */
export function leaderSubjectPrefix(namespace: string): string {
  return `${new SubjectSpace(namespace).command(COORD_DOMAIN, AT_LEADER)}.`;
}

/** The leader's subject of a command, from the command's any-replica subject `<ns>.coord.cmd.<op>`. */
export function leaderSubjectOf(groupSubject: string, definition: RequestDefinition): string {
  return `${groupSubject.slice(0, groupSubject.length - definition.name.length)}${AT_LEADER}.${definition.name}`;
}
