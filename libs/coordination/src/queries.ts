import { liveGrant } from '@kailash/leasing';
import type { KeyRange, RangeCommand } from './commands';
import { RESERVED_PREFIX } from './commands';
import type { ElectionLeader, KeyValue, LeaseView, LockOwner, RangeResult, WatchEvent } from './responses';
import type { LeaseRecord, ReadonlyCoordinationState, StoredKey } from './state';

/**
 * Reads over the state, pure: the service calls them after ReadIndex (linearizable) or straight away
 * (serializable). None changes anything; each answers at the state's current revision.
 */

export const LOCK_PREFIX = `${RESERVED_PREFIX}lock/`;
export const ELECTION_PREFIX = `${RESERVED_PREFIX}election/`;

/** The waiter key of `lease` on lock `name`: the lease id in fixed-width hex, so keys sort by nothing else. */
export const lockKey = (name: string, lease: number): string => `${LOCK_PREFIX}${name}/${leaseHex(lease)}`;
export const electionKey = (name: string, lease: number): string =>
  `${ELECTION_PREFIX}${name}/${leaseHex(lease)}`;
const leaseHex = (lease: number): string => lease.toString(16).padStart(14, '0');

export const isReserved = (key: string): boolean => key.startsWith(RESERVED_PREFIX);

export function keyValueOf(key: string, stored: StoredKey): KeyValue {
  return {
    key,
    value: stored.value,
    createRevision: stored.createRevision,
    modRevision: stored.modRevision,
    version: stored.version,
    lease: stored.lease,
  };
}

/** Whether `key` falls in `range`. */
export function inRange(range: KeyRange, key: string): boolean {
  if ('key' in range) return key === range.key;
  if ('prefix' in range) return key.startsWith(range.prefix);
  return key >= range.from && (range.to === undefined || key < range.to);
}

/** The keys of `range` with their stored values, in key order. */
export function* entriesIn(
  state: ReadonlyCoordinationState,
  range: KeyRange,
): IterableIterator<[string, StoredKey]> {
  if ('key' in range) {
    const stored = state.keys.get(range.key);
    if (stored) yield [range.key, stored];
    return;
  }
  if ('prefix' in range) {
    for (const entry of state.keys.entriesFrom(range.prefix)) {
      if (!entry[0].startsWith(range.prefix)) return;
      yield entry;
    }
    return;
  }
  yield* state.keys.entriesFrom(range.from, range.to);
}

export function get(state: ReadonlyCoordinationState, key: string): KeyValue | undefined {
  const stored = state.keys.get(key);
  return stored ? keyValueOf(key, stored) : undefined;
}

/** etcd's Range: keys in order, at most `limit` of them; `count` is how many the range holds. */
export function range(
  state: ReadonlyCoordinationState,
  request: Omit<RangeCommand, 'op'> & { op?: 'range' },
): RangeResult {
  const kvs: KeyValue[] = [];
  let count = 0;
  const limit = request.limit ?? Number.POSITIVE_INFINITY;
  for (const [key, stored] of entriesIn(state, request.range)) {
    count++;
    if (request.countOnly || kvs.length >= limit) continue;
    const kv = keyValueOf(key, stored);
    kvs.push(request.keysOnly ? { ...kv, value: '' } : kv);
  }
  return { kvs, count, more: !request.countOnly && count > kvs.length };
}

export function leaseViewOf(lease: Readonly<LeaseRecord>): LeaseView {
  const expiresAt = lease.rules.status === 'vacant' ? lease.grantedAt : lease.rules.grant.expiresAt;
  return { id: lease.id, holder: lease.holder, ttlMs: lease.ttlMs, grantedAt: lease.grantedAt, expiresAt };
}

export interface LeaseInfo extends LeaseView {
  /** Milliseconds left at `now` (0 once past the deadline, even before the leader expires it). */
  readonly remainingMs: number;
  /** The attached keys, in key order. */
  readonly keys: readonly string[];
}

/** A lease that has not ended yet (it may have lapsed at `now` and await the leader's expiry). */
export function leaseInfo(state: ReadonlyCoordinationState, id: number, now: number): LeaseInfo | undefined {
  const lease = state.leases.get(id);
  if (!lease) return undefined;
  const view = leaseViewOf(lease);
  return { ...view, remainingMs: Math.max(0, view.expiresAt - now), keys: [...lease.keys].sort() };
}

/** Every lease not ended yet, by id. */
export function leases(state: ReadonlyCoordinationState): LeaseView[] {
  return [...state.leases.values()].sort((a, b) => a.id - b.id).map(leaseViewOf);
}

/**
 * For the leader: the leases past their deadline at `now`, oldest deadline first, at most `limit`.
 * It proposes `lease.expire` with them and its `now`; followers never call this on their own clock.
 */
export function dueLeases(state: ReadonlyCoordinationState, now: number, limit = 1_000): number[] {
  const due: { id: number; expiresAt: number }[] = [];
  for (const lease of state.leases.values()) {
    if (lease.rules.status === 'held' && !liveGrant(lease.rules, now)) {
      due.push({ id: lease.id, expiresAt: lease.rules.grant.expiresAt });
    }
  }
  due.sort((a, b) => a.expiresAt - b.expiresAt || a.id - b.id);
  return due.slice(0, limit).map((lease) => lease.id);
}

/** The earliest deadline of a lease not ended yet: when the leader should look again. */
export function nextLeaseDeadline(state: ReadonlyCoordinationState): number | undefined {
  let next: number | undefined;
  for (const lease of state.leases.values()) {
    if (lease.rules.status !== 'held') continue;
    const at = lease.rules.grant.expiresAt;
    if (next === undefined || at < next) next = at;
  }
  return next;
}

/** The waiter keys of a lock (or an election's candidates), lowest create revision first. */
export function waiters(state: ReadonlyCoordinationState, prefix: string): KeyValue[] {
  const found: KeyValue[] = [];
  for (const [key, stored] of entriesIn(state, { prefix })) found.push(keyValueOf(key, stored));
  return found.sort((a, b) => a.createRevision - b.createRevision);
}

export function lockOwner(state: ReadonlyCoordinationState, name: string): LockOwner | undefined {
  const first = waiters(state, `${LOCK_PREFIX}${name}/`)[0];
  return first && { name, key: first.key, lease: first.lease, token: first.createRevision };
}

/** etcd's Leader: the candidate with the lowest create revision, with its term and time in office. */
export function electionLeader(state: ReadonlyCoordinationState, name: string): ElectionLeader | undefined {
  const record = state.elections.get(name);
  if (!record?.leaderKey) return undefined;
  const stored = state.keys.get(record.leaderKey);
  if (!stored) return undefined;
  return {
    name,
    key: record.leaderKey,
    lease: stored.lease,
    value: stored.value,
    term: record.term,
    since: record.since,
    createRevision: stored.createRevision,
  };
}

/**
 * The original platform's `get_leader`: the leader (its value), term and time in office, and
 * `stable`: a leader holds and its lease is live at `now` (a lapsed leader is about to be replaced).
 */
export function getLeader(
  state: ReadonlyCoordinationState,
  name: string,
  now: number,
): { leader: string | undefined; term: number; since: number | undefined; stable: boolean } {
  const leader = electionLeader(state, name);
  const term = state.elections.get(name)?.term ?? 0;
  if (!leader) return { leader: undefined, term, since: undefined, stable: false };
  const lease = state.leases.get(leader.lease);
  const stable = lease !== undefined && liveGrant(lease.rules, now) !== undefined;
  return { leader: leader.value, term, since: leader.since, stable };
}

export type HistoryRead =
  | { readonly ok: true; readonly events: WatchEvent[]; readonly revision: number }
  | { readonly ok: false; readonly compactRevision: number; readonly revision: number };

/**
 * For a watch resuming at `fromRevision`: the changes in `range` with revision >= fromRevision, in
 * order, or `compacted` when that revision was forgotten (the watcher must re-read and start over).
 */
export function watchHistory(
  state: ReadonlyCoordinationState,
  fromRevision: number,
  keys: KeyRange,
): HistoryRead {
  if (fromRevision < state.compactRevision) {
    return { ok: false, compactRevision: state.compactRevision, revision: state.revision };
  }
  const events: WatchEvent[] = [];
  for (let at = firstEventAt(state.history, fromRevision); at < state.history.length; at++) {
    const event = state.history[at] as WatchEvent;
    if (inRange(keys, event.kv.key)) events.push(event);
  }
  return { ok: true, events, revision: state.revision };
}

function firstEventAt(history: readonly WatchEvent[], revision: number): number {
  let low = 0;
  let high = history.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((history[mid] as WatchEvent).revision < revision) low = mid + 1;
    else high = mid;
  }
  return low;
}
