import { z } from 'zod';
import { defineCommand, defineQuery } from '../envelope';

/**
 * The coordination service's API over NATS: `<ns>.coord.cmd.<name>` for writes and membership
 * changes, `<ns>.coord.qry.<name>` for reads. Any replica answers; writes reach the leader.
 */
export const COORD_DOMAIN = 'coord';

export const COORD_KEY_MAX_LENGTH = 1024;
export const COORD_VALUE_MAX_BYTES = 64 * 1024;

export const coordKeySchema = z.string().min(1).max(COORD_KEY_MAX_LENGTH);
export const coordValueSchema = z.string().max(COORD_VALUE_MAX_BYTES);
const revisionSchema = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
export const coordNodeIdSchema = z.number().int().min(1).max(1_000_000);

/**
 * Exactly-once across retries and leader changes: a client id and a sequence number per command;
 * a retry carries the same pair and gets the first answer. `ackBelow`: every sequence number below
 * it has been answered, so the service may forget those answers.
 */
export const coordSessionSchema = z.strictObject({
  clientId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1-64 of A-Z a-z 0-9 _ -'),
  seq: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER),
  ackBelow: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type CoordSession = z.output<typeof coordSessionSchema>;

export const coordKeyValueSchema = z.strictObject({
  key: z.string(),
  value: z.string(),
  createRevision: revisionSchema,
  modRevision: revisionSchema,
  version: z.number().int().min(0),
});
export type CoordKeyValue = z.output<typeof coordKeyValueSchema>;

export const coordPutSchema = z.strictObject({
  key: coordKeySchema,
  value: coordValueSchema,
  session: coordSessionSchema.optional(),
});
export const coordDeleteSchema = z.strictObject({
  key: coordKeySchema,
  prefix: z.boolean().optional(),
  session: coordSessionSchema.optional(),
});

const opSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('put'), key: coordKeySchema, value: coordValueSchema }),
  z.strictObject({ type: z.literal('delete'), key: coordKeySchema, prefix: z.boolean().optional() }),
]);
export const coordCompareSchema = z.strictObject({
  key: coordKeySchema,
  target: z.enum(['version', 'value', 'modRevision', 'createRevision']),
  op: z.enum(['==', '!=', '<', '>']),
  value: z.union([z.string().max(COORD_VALUE_MAX_BYTES), z.number().int().min(0)]),
});
export const coordTxnSchema = z.strictObject({
  compare: z.array(coordCompareSchema).max(64),
  success: z.array(opSchema).max(64),
  failure: z.array(opSchema).max(64).default([]),
  session: coordSessionSchema.optional(),
});
export type CoordTxnRequest = z.input<typeof coordTxnSchema>;

const consistencySchema = z.enum(['linearizable', 'serializable']).default('linearizable');
export const coordGetSchema = z.strictObject({ key: coordKeySchema, consistency: consistencySchema });
export const coordRangeSchema = z.strictObject({
  prefix: z.string().max(COORD_KEY_MAX_LENGTH),
  limit: z.number().int().min(1).max(10_000).default(1000),
  consistency: consistencySchema,
});
export const coordWatchSchema = z.strictObject({
  key: coordKeySchema,
  prefix: z.boolean().default(false),
  fromRevision: revisionSchema,
  /** Long poll: wait up to this long for a change when there is none yet. */
  waitMs: z.number().int().min(0).max(30_000).default(0),
});

export const coordPutResultSchema = z.strictObject({
  revision: revisionSchema,
  previous: coordKeyValueSchema.nullable(),
});
export const coordDeleteResultSchema = z.strictObject({
  deleted: z.number().int().min(0),
  revision: revisionSchema,
});
export const coordTxnResultSchema = z.strictObject({
  succeeded: z.boolean(),
  revision: revisionSchema,
  responses: z.array(z.union([coordPutResultSchema, coordDeleteResultSchema])),
});
export const coordGetResultSchema = z.strictObject({
  kv: coordKeyValueSchema.nullable(),
  revision: revisionSchema,
});
export const coordRangeResultSchema = z.strictObject({
  kvs: z.array(coordKeyValueSchema),
  revision: revisionSchema,
});
export const coordWatchEventSchema = z.strictObject({
  type: z.enum(['put', 'delete']),
  revision: revisionSchema,
  key: z.string(),
  value: z.string().optional(),
});
export type CoordWatchEvent = z.output<typeof coordWatchEventSchema>;
export const coordWatchResultSchema = z.strictObject({
  compacted: z.boolean(),
  compactedRevision: revisionSchema.optional(),
  events: z.array(coordWatchEventSchema),
  revision: revisionSchema,
});

export const coordMemberSchema = z.strictObject({ nodeId: coordNodeIdSchema });
const memberChangeResultSchema = z.strictObject({ applied: z.literal(true) });

export const coordMemberViewSchema = z.strictObject({
  id: z.number().int(),
  role: z.enum(['voter', 'learner']),
  leader: z.boolean(),
  match: z.number().int().optional(),
  lag: z.number().int().optional(),
  state: z.string().optional(),
});
export const coordClusterViewSchema = z.strictObject({
  self: z.number().int(),
  role: z.string(),
  leader: z.number().int(),
  term: z.number().int(),
  commitIndex: z.number().int(),
  appliedIndex: z.number().int(),
  lastIndex: z.number().int(),
  firstIndex: z.number().int(),
  ready: z.boolean(),
  members: z.array(coordMemberViewSchema),
  snapshots: z.strictObject({
    count: z.number().int(),
    installed: z.number().int(),
    lastBytes: z.number().int(),
  }),
});
export type CoordClusterView = z.output<typeof coordClusterViewSchema>;

export const CoordPut = defineCommand(COORD_DOMAIN, 'kv.put', {
  data: coordPutSchema,
  result: coordPutResultSchema,
});
export const CoordDelete = defineCommand(COORD_DOMAIN, 'kv.delete', {
  data: coordDeleteSchema,
  result: coordDeleteResultSchema,
});
export const CoordTxn = defineCommand(COORD_DOMAIN, 'kv.txn', {
  data: coordTxnSchema,
  result: coordTxnResultSchema,
});
export const CoordGet = defineQuery(COORD_DOMAIN, 'kv.get', {
  data: coordGetSchema,
  result: coordGetResultSchema,
});
export const CoordRange = defineQuery(COORD_DOMAIN, 'kv.range', {
  data: coordRangeSchema,
  result: coordRangeResultSchema,
});
export const CoordWatch = defineQuery(COORD_DOMAIN, 'kv.watch', {
  data: coordWatchSchema,
  result: coordWatchResultSchema,
});
export const CoordAddLearner = defineCommand(COORD_DOMAIN, 'member.add-learner', {
  data: coordMemberSchema,
  result: memberChangeResultSchema,
});
export const CoordPromote = defineCommand(COORD_DOMAIN, 'member.promote', {
  data: coordMemberSchema,
  result: memberChangeResultSchema,
});
export const CoordRemoveMember = defineCommand(COORD_DOMAIN, 'member.remove', {
  data: coordMemberSchema,
  result: memberChangeResultSchema,
});
export const CoordTransferLeader = defineCommand(COORD_DOMAIN, 'leader.transfer', {
  data: coordMemberSchema,
  result: z.strictObject({ transferring: z.number().int() }),
});
export const CoordClusterStatus = defineQuery(COORD_DOMAIN, 'cluster.status', {
  data: z.strictObject({}),
  result: coordClusterViewSchema,
});
