import { decode, encode } from './codec';
import type { Response, WatchEvent, KeyValue } from './responses';
import type { CoordinationState, LeaseRecord, SessionRecord, StoredKey } from './state';
import { emptyState } from './state';

/**
 * The state as bytes: MessagePack of tuples in a fixed order (keys by key, leases and sessions by
 * id, elections by name, history in apply order), so equal states give equal bytes. Lease records
 * keep only what the lease rules' state cannot be rebuilt without; the keys a lease carries are
 * found again from the keys' own `lease`.
 */

const FORMAT = 'kailash-coordination';
const VERSION = 1;

type KvTuple = [string, string, number, number, number, number];
type LeaseTuple = [number, string, number, number, number];
type SessionTuple = [number, number, [number, Response][]];
type ElectionTuple = [string, number, string | null, number];
type EventTuple = [0 | 1, number, KvTuple, KvTuple | null];

export function snapshotOf(state: CoordinationState): Uint8Array {
  const keys: KvTuple[] = [];
  for (const [key, stored] of state.keys.entriesFrom('')) keys.push(storedTuple(key, stored));
  const leases: LeaseTuple[] = [...state.leases.values()].sort(byId).map(leaseTuple);
  const sessions: SessionTuple[] = [...state.sessions.values()]
    .sort((a, b) => a.clientId - b.clientId)
    .map(sessionTuple);
  const elections: ElectionTuple[] = [...state.elections.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, record]) => [name, record.term, record.leaderKey ?? null, record.since]);
  const history: EventTuple[] = state.history.map(eventTuple);
  return encode([
    FORMAT,
    VERSION,
    [state.appliedIndex, state.revision, state.compactRevision, state.now, state.lastLeaseId],
    keys,
    leases,
    sessions,
    elections,
    history,
  ]);
}

export function stateOf(bytes: Uint8Array): CoordinationState {
  const decoded = decode(bytes);
  if (!Array.isArray(decoded) || decoded[0] !== FORMAT || decoded[1] !== VERSION) {
    throw new RangeError(`not a ${FORMAT} snapshot of version ${VERSION}`);
  }
  const [, , header, keys, leases, sessions, elections, history] = decoded as [
    string,
    number,
    [number, number, number, number, number],
    KvTuple[],
    LeaseTuple[],
    SessionTuple[],
    ElectionTuple[],
    EventTuple[],
  ];
  const state = emptyState();
  [state.appliedIndex, state.revision, state.compactRevision, state.now, state.lastLeaseId] = header;
  for (const tuple of leases) {
    const lease = leaseOf(tuple);
    state.leases.set(lease.id, lease);
  }
  for (const [key, value, createRevision, modRevision, version, lease] of keys) {
    state.keys.set(key, { value, createRevision, modRevision, version, lease });
    if (lease !== 0) state.leases.get(lease)?.keys.add(key);
  }
  for (const [clientId, floor, responses] of sessions) {
    const record: SessionRecord = { clientId, floor, responses: new Map(responses) };
    state.sessions.set(clientId, record);
  }
  for (const [name, term, leaderKey, since] of elections) {
    state.elections.set(name, { term, leaderKey: leaderKey ?? undefined, since });
  }
  for (const tuple of history) state.history.push(eventOf(tuple));
  return state;
}

const byId = (a: LeaseRecord, b: LeaseRecord): number => a.id - b.id;

const storedTuple = (key: string, s: StoredKey): KvTuple => [
  key,
  s.value,
  s.createRevision,
  s.modRevision,
  s.version,
  s.lease,
];
const kvTuple = (kv: KeyValue): KvTuple => [
  kv.key,
  kv.value,
  kv.createRevision,
  kv.modRevision,
  kv.version,
  kv.lease,
];
const kvOf = ([key, value, createRevision, modRevision, version, lease]: KvTuple): KeyValue => ({
  key,
  value,
  createRevision,
  modRevision,
  version,
  lease,
});

function leaseTuple(lease: LeaseRecord): LeaseTuple {
  const expiresAt = lease.rules.status === 'held' ? lease.rules.grant.expiresAt : lease.grantedAt;
  return [lease.id, lease.holder, lease.ttlMs, lease.grantedAt, expiresAt];
}

/** Every lease in the state is held (an ended one is removed), its token its id, its counter its id. */
function leaseOf([id, holder, ttlMs, grantedAt, expiresAt]: LeaseTuple): LeaseRecord {
  return {
    id,
    holder,
    ttlMs,
    grantedAt,
    rules: { status: 'held', lastToken: id, grant: { holder, token: id, expiresAt } },
    keys: new Set(),
  };
}

function sessionTuple(session: SessionRecord): SessionTuple {
  const responses = [...session.responses.entries()].sort(([a], [b]) => a - b);
  return [session.clientId, session.floor, responses];
}

function eventTuple(event: WatchEvent): EventTuple {
  return [
    event.type === 'PUT' ? 0 : 1,
    event.revision,
    kvTuple(event.kv),
    event.prevKv ? kvTuple(event.prevKv) : null,
  ];
}

function eventOf([type, revision, kv, prevKv]: EventTuple): WatchEvent {
  return {
    type: type === 0 ? 'PUT' : 'DELETE',
    revision,
    kv: kvOf(kv),
    ...(prevKv ? { prevKv: kvOf(prevKv) } : {}),
  };
}
