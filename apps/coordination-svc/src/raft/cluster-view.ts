import type { NodeId } from '@kailash/raft';
import type { Replica } from './replica';

export interface MemberProgress {
  readonly id: NodeId;
  readonly match: number;
  readonly next: number;
  readonly state: string;
  readonly learner: boolean;
  /** Entries the member is behind the leader's last index. */
  readonly lag: number;
}

export interface ClusterView {
  readonly self: NodeId;
  readonly role: string;
  readonly leader: NodeId;
  readonly term: number;
  readonly commitIndex: number;
  readonly appliedIndex: number;
  readonly lastIndex: number;
  readonly firstIndex: number;
  readonly ready: boolean;
  readonly members: ReadonlyArray<{
    readonly id: NodeId;
    readonly role: 'voter' | 'learner';
    readonly leader: boolean;
    readonly match?: number;
    readonly lag?: number;
    readonly state?: string;
  }>;
  readonly snapshots: { readonly count: number; readonly installed: number; readonly lastBytes: number };
}

/** GET /cluster: this replica's Raft state, with the leader's replication progress when it is known. */
export function clusterView(replica: Replica, progress: readonly MemberProgress[] | undefined): ClusterView {
  const status = replica.node.status();
  const byId = new Map((progress ?? []).map((p) => [p.id, p]));
  const member = (id: NodeId, role: 'voter' | 'learner') => {
    const p = byId.get(id);
    return {
      id,
      role,
      leader: id === status.lead,
      ...(p ? { match: p.match, lag: p.lag, state: p.state } : {}),
    };
  };
  return {
    self: status.id,
    role: status.role,
    leader: status.lead,
    term: status.term,
    commitIndex: status.commit,
    appliedIndex: status.applied,
    lastIndex: status.lastIndex,
    firstIndex: replica.storage.firstIndex(),
    ready: replica.isReady(),
    members: [
      ...status.confState.voters.map((id) => member(id, 'voter')),
      ...status.confState.learners.map((id) => member(id, 'learner')),
    ],
    snapshots: replica.snapshotStats(),
  };
}
