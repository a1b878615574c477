import type { AppliedConfChange, Entry, SoftState, StateRole } from '@kailash/raft';

/** What a replica reports as it runs: metrics and COORD events hang off these calls. */
export interface ReplicaObserver {
  /**
   * Wraps the WAL write of one Ready so its fsync latency can be measured; a save that syncs off the
   * event loop returns a promise, which the wrapper must return (it is done when that resolves).
   */
  timedSave(save: () => void | Promise<void>, mustSync: boolean): void | Promise<void>;
  softState(soft: SoftState, previous: { lead: number; role: StateRole }, term: number): void;
  leaderElected(entry: Entry): void;
  membershipChanged(entry: Entry, change: AppliedConfChange): void;
  applied(entry: Entry, result: unknown): void;
  proposalsDropped(count: number): void;
  snapshotTaken(index: number, bytes: number): void;
  snapshotRestored(index: number, bytes: number): void;
  refusedBatch(reason: string): void;
}

/** DI token of one more observer a replica host tells (the read model), provided where it lives. */
export const EXTRA_REPLICA_OBSERVER = Symbol('EXTRA_REPLICA_OBSERVER');

export const NO_OBSERVER: ReplicaObserver = {
  timedSave: (save) => save(),
  softState: () => undefined,
  leaderElected: () => undefined,
  membershipChanged: () => undefined,
  applied: () => undefined,
  proposalsDropped: () => undefined,
  snapshotTaken: () => undefined,
  snapshotRestored: () => undefined,
  refusedBatch: () => undefined,
};

/** Fans every call out to several observers (metrics, events, logs). */
export function observers(...list: ReplicaObserver[]): ReplicaObserver {
  return {
    timedSave: (save, mustSync) => {
      const [first, ...rest] = list;
      if (!first) return save();
      // Only one observer may run the save; the others see it as done.
      const saved = first.timedSave(save, mustSync);
      for (const other of rest) void other.timedSave(() => undefined, mustSync);
      return saved;
    },
    softState: (...a) => list.forEach((o) => o.softState(...a)),
    leaderElected: (...a) => list.forEach((o) => o.leaderElected(...a)),
    membershipChanged: (...a) => list.forEach((o) => o.membershipChanged(...a)),
    applied: (...a) => list.forEach((o) => o.applied(...a)),
    proposalsDropped: (...a) => list.forEach((o) => o.proposalsDropped(...a)),
    snapshotTaken: (...a) => list.forEach((o) => o.snapshotTaken(...a)),
    snapshotRestored: (...a) => list.forEach((o) => o.snapshotRestored(...a)),
    refusedBatch: (...a) => list.forEach((o) => o.refusedBatch(...a)),
  };
}
