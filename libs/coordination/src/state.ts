import type { LeaseState } from '@kailash/leasing';
import type { Response, WatchEvent } from './responses';
import { SortedKeys } from './sorted-keys';

/**
 * The whole replicated state, owned by one CoordinationStateMachine and changed only by its apply.
 * Queries read it (`ReadonlyCoordinationState`); nothing else may write it.
 */

/** One live key. */
export interface StoredKey {
  value: string;
  createRevision: number;
  modRevision: number;
  version: number;
  /** 0 when not attached to a lease. */
  lease: number;
}

/** One lease: the lease rules' state of it (holder, token = id, deadline) plus the keys it carries. */
export interface LeaseRecord {
  readonly id: number;
  readonly holder: string;
  ttlMs: number;
  grantedAt: number;
  rules: LeaseState;
  /** Keys attached to it, deleted when it ends. */
  readonly keys: Set<string>;
}

/** A client session (Raft thesis §6.3): the responses the client may still ask for again. */
export interface SessionRecord {
  readonly clientId: number;
  /** Responses below this sequence number were forgotten; such a proposal is refused. */
  floor: number;
  /** Applied sequence numbers at or above `floor`, with their responses, oldest first. */
  readonly responses: Map<number, Response>;
}

/** An election's bookkeeping that the keys alone do not give: the term count and when the leader took office. */
export interface ElectionRecord {
  term: number;
  /** The key leading now, or undefined when nobody campaigns. */
  leaderKey: string | undefined;
  since: number;
}

export interface CoordinationState {
  /** The last Raft index applied (or skipped as a no-op / conf change). */
  appliedIndex: number;
  /** The store's revision: the number of writes so far. */
  revision: number;
  /** Changes before this revision are forgotten; a watch must start at or after it. */
  compactRevision: number;
  /** The leader time of the latest entry; never goes back. */
  now: number;
  /** The last lease id (= fencing token) handed out; ids are never reused. */
  lastLeaseId: number;
  readonly keys: SortedKeys<StoredKey>;
  readonly leases: Map<number, LeaseRecord>;
  readonly sessions: Map<number, SessionRecord>;
  readonly elections: Map<string, ElectionRecord>;
  /** Changes since `compactRevision`, in apply order (bounded by the machine's `historyLimit`). */
  readonly history: WatchEvent[];
}

export type ReadonlyCoordinationState = Readonly<
  Omit<CoordinationState, 'keys' | 'leases' | 'sessions' | 'elections' | 'history'>
> & {
  readonly keys: Pick<SortedKeys<StoredKey>, 'get' | 'size' | 'entriesFrom' | 'has'>;
  readonly leases: ReadonlyMap<number, Readonly<LeaseRecord>>;
  readonly sessions: ReadonlyMap<number, Readonly<SessionRecord>>;
  readonly elections: ReadonlyMap<string, Readonly<ElectionRecord>>;
  readonly history: readonly WatchEvent[];
};

export function emptyState(): CoordinationState {
  return {
    appliedIndex: 0,
    revision: 0,
    compactRevision: 0,
    now: 0,
    lastLeaseId: 0,
    keys: new SortedKeys<StoredKey>(),
    leases: new Map(),
    sessions: new Map(),
    elections: new Map(),
    history: [],
  };
}
