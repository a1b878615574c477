import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineEvent } from '../envelope';

/**
 * Facts of the Raft group on the COORD stream. Each is published once, by the leader, with an
 * event id derived from the Raft index of the entry that made it true, so a leader change neither
 * drops one (the new leader republishes what the stream lacks) nor doubles one (JetStream drops a
 * repeated id).
 */
export const COORD_CLUSTER_AGGREGATE = 'cluster';

const nodeId = z.number().int().min(1);
const raftIndex = z.number().int().min(1);

export const CoordLeaderElected = defineEvent('coord.leader.elected', {
  aggregateType: COORD_CLUSTER_AGGREGATE,
  data: z.strictObject({ leader: nodeId, term: z.number().int().min(1), index: raftIndex }),
});

export const CoordMembershipChanged = defineEvent('coord.membership.changed', {
  aggregateType: COORD_CLUSTER_AGGREGATE,
  data: z.strictObject({
    change: z.enum(['add-voter', 'add-learner', 'remove-node']),
    nodeId,
    voters: z.array(nodeId),
    learners: z.array(nodeId),
    index: raftIndex,
  }),
});

export type CoordLeaderElectedEvent = EventOf<typeof CoordLeaderElected>;
export type CoordMembershipChangedEvent = EventOf<typeof CoordMembershipChanged>;

export const COORD_EVENTS = [CoordLeaderElected, CoordMembershipChanged] as const;
