import { z } from 'zod';
import { defineCommand, defineQuery } from '../envelope';

/**
 * The coordination group's administration over NATS (`<ns>.coord.cmd.member.*`, `.leader.transfer`,
 * `<ns>.coord.qry.cluster.status`). The KV, lease, lock and election operations are defined with the
 * state machine's own schemas in @kailash/coordination-client. Any replica answers.
 */
export const COORD_DOMAIN = 'coord';

export const coordNodeIdSchema = z.number().int().min(1).max(1_000_000);

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
