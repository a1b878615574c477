import { z } from 'zod';
import { defineQuery } from '../envelope';
import { COORD_DOMAIN, coordNodeIdSchema } from './coord.requests';

/**
 * The history each replica of the coordination group keeps in its own PostgreSQL database: leaders,
 * membership changes and the state machine's facts, one row per fact of an applied Raft entry
 * (`<ns>.coord.qry.history.*`, `GET /history/*`). Whichever replica answers says which it is and up
 * to which Raft index its history is written (`checkpoint`); `gaps` are the index ranges it never
 * saw (it was restored from a snapshot past them), so a missing row is never silent.
 */
const raftIndex = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** A position in a history: `<raft index>-<position within the entry>`, as `next` returns it. */
export const coordHistoryCursorSchema = z
  .string()
  .regex(/^\d{1,16}-\d{1,6}$/, "must be <raft index>-<position>, as a page's next");

const pageFields = {
  after: coordHistoryCursorSchema.optional(),
  limit: z.number().int().min(1).max(1000).default(100),
  order: z.enum(['asc', 'desc']).default('asc'),
};
export const coordHistoryPageSchema = z.strictObject(pageFields);

export const coordHistoryGapSchema = z.strictObject({
  fromIndex: raftIndex,
  toIndex: raftIndex,
  reason: z.string(),
});

const pageResult = <T extends z.ZodType>(item: T) =>
  z.strictObject({
    replica: coordNodeIdSchema,
    checkpoint: raftIndex,
    items: z.array(item),
    next: coordHistoryCursorSchema.nullable(),
    gaps: z.array(coordHistoryGapSchema),
  });

export const coordLeaderRowSchema = z.strictObject({
  index: raftIndex,
  term: raftIndex,
  // Unknown when the replica applied the election's entry only after that term had ended.
  leader: coordNodeIdSchema.nullable(),
});
export const coordMembershipRowSchema = z.strictObject({
  index: raftIndex,
  change: z.string(),
  nodeId: coordNodeIdSchema,
  voters: z.array(coordNodeIdSchema),
  learners: z.array(coordNodeIdSchema),
});
export const coordFactRowSchema = z.strictObject({
  index: raftIndex,
  position: z.number().int().min(0),
  type: z.string(),
  /** The proposing leader's clock (ms) when the fact became true: the same on every replica. */
  at: raftIndex,
  leaseId: raftIndex.nullable(),
  name: z.string().nullable(),
  fact: z.record(z.string(), z.unknown()),
});
export type CoordLeaderRow = z.output<typeof coordLeaderRowSchema>;
export type CoordMembershipRow = z.output<typeof coordMembershipRowSchema>;
export type CoordFactRow = z.output<typeof coordFactRowSchema>;
export type CoordHistoryGap = z.output<typeof coordHistoryGapSchema>;

const name = z.string().min(1).max(256);
const id = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** A fact history's query: its filters, and `type`, the fact's last word (`lease.granted` → `granted`). */
const factHistoryQuery = <T extends readonly [string, ...string[]], F extends z.ZodRawShape>(
  types: T,
  filters: F,
) => z.strictObject({ ...pageFields, ...filters, type: z.enum(types).optional() });

export const coordLeaseHistoryQuery = factHistoryQuery(['granted', 'revoked', 'expired'] as const, {
  leaseId: id.optional(),
});
export const coordLockHistoryQuery = factHistoryQuery(['acquired', 'released'] as const, {
  name: name.optional(),
  leaseId: id.optional(),
});
export const coordElectionHistoryQuery = factHistoryQuery(['leader', 'vacant'] as const, {
  name: name.optional(),
  leaseId: id.optional(),
});
export const coordSessionHistoryQuery = factHistoryQuery(['opened', 'closed'] as const, {
  clientId: id.optional(),
});

/** `<ns>.coord.qry.history.<name>`: a page of rows of one history. */
const historyQuery = <D extends z.ZodType, R extends z.ZodType>(name: string, data: D, row: R) =>
  defineQuery(COORD_DOMAIN, `history.${name}`, { data, result: pageResult(row) });

export const CoordLeaderHistory = historyQuery('leaders', coordHistoryPageSchema, coordLeaderRowSchema);
export const CoordMembershipHistory = historyQuery(
  'membership',
  coordHistoryPageSchema,
  coordMembershipRowSchema,
);
export const CoordGapHistory = historyQuery('gaps', coordHistoryPageSchema, coordHistoryGapSchema);
export const CoordLeaseHistory = historyQuery('leases', coordLeaseHistoryQuery, coordFactRowSchema);
export const CoordLockHistory = historyQuery('locks', coordLockHistoryQuery, coordFactRowSchema);
export const CoordElectionHistory = historyQuery('elections', coordElectionHistoryQuery, coordFactRowSchema);
export const CoordSessionHistory = historyQuery('sessions', coordSessionHistoryQuery, coordFactRowSchema);
