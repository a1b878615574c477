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

/**
 * A fact of the replicated state machine (a lease granted, revoked or expired; a lock acquired or
 * released; an election's leader taking office or leaving it vacant; a session opened or closed).
 * `fact` is the state machine's own record of it; `position` orders facts of one entry.
 */
const factData = z.strictObject({
  index: raftIndex,
  position: z.number().int().min(0),
  fact: z.record(z.string(), z.unknown()),
});
const factEvent = <T extends string>(type: T) =>
  defineEvent(type, { aggregateType: COORD_CLUSTER_AGGREGATE, data: factData });

export const COORD_FACT_EVENTS = {
  'lease.granted': factEvent('coord.lease.granted'),
  'lease.revoked': factEvent('coord.lease.revoked'),
  'lease.expired': factEvent('coord.lease.expired'),
  'lock.acquired': factEvent('coord.lock.acquired'),
  'lock.released': factEvent('coord.lock.released'),
  'election.leader': factEvent('coord.election.leader'),
  'election.vacant': factEvent('coord.election.vacant'),
  'session.opened': factEvent('coord.session.opened'),
  'session.closed': factEvent('coord.session.closed'),
} as const;

export type CoordLeaderElectedEvent = EventOf<typeof CoordLeaderElected>;
export type CoordMembershipChangedEvent = EventOf<typeof CoordMembershipChanged>;

export const COORD_EVENTS = [
  CoordLeaderElected,
  CoordMembershipChanged,
  ...Object.values(COORD_FACT_EVENTS),
] as const;
