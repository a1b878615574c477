import type { StateJsonValue, StateObjectEvent } from '@kailash/contracts';
import type { LeaseState } from '@kailash/leasing';
import { epochMsOf, isPastDeadline, vacant } from '@kailash/leasing';

// ── State ────────────────────────────────────────────────────────────────────

export interface HeldLock {
  readonly holder: string;
  readonly token: number;
  readonly expiresAt: string;
}

export interface StateObject {
  readonly status: 'present';
  readonly objectId: string;
  readonly owner: string | null;
  /** Counts every event of the object, so compare-and-set sees any change, locks and moves included. */
  readonly version: number;
  readonly createdAt: string;
  readonly modifiedAt: string;
  readonly body: Readonly<Record<string, StateJsonValue>>;
  readonly locks: Readonly<Record<string, HeldLock>>;
  /** The last fencing token granted on this object, for any lock name; the next grant is one more. */
  readonly lastToken: number;
}

export type StateObjectState = { readonly status: 'absent' } | StateObject;

export const initialState = (): StateObjectState => ({ status: 'absent' });

/** Own-property lookup: a key such as `constructor` must not find Object.prototype's. */
export function own<T>(record: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(record, key) ? record[key] : undefined;
}

export function without<T>(record: Readonly<Record<string, T>>, key: string): Record<string, T> {
  const copy = { ...record };
  delete copy[key];
  return copy;
}

/**
 * One lock as the shared lease rules see it. A released lock leaves the table, so the rules see it
 * vacant; the object's one token counter keeps every lock's next token above all earlier ones.
 */
export function lockState(state: StateObjectState, name: string): LeaseState {
  const lastToken = state.status === 'present' ? state.lastToken : 0;
  const held = state.status === 'present' ? own(state.locks, name) : undefined;
  return held ? { status: 'held', lastToken, grant: grantOf(held) } : vacant(lastToken);
}

const grantOf = (lock: HeldLock) => ({
  holder: lock.holder,
  token: lock.token,
  expiresAt: epochMsOf(lock.expiresAt),
});

export const isExpired = (lock: HeldLock, now: string): boolean =>
  isPastDeadline(grantOf(lock), epochMsOf(now));

// ── Evolve ───────────────────────────────────────────────────────────────────

export function evolve(state: StateObjectState, event: StateObjectEvent): StateObjectState {
  const base = touched(state, event.data);
  switch (event.type) {
    case 'stateobj.value-set':
      return { ...base, body: { ...base.body, [event.data.key]: event.data.value } };
    case 'stateobj.values-updated':
      return { ...base, body: { ...base.body, ...event.data.values } };
    case 'stateobj.key-deleted':
      return { ...base, body: without(base.body, event.data.key) };
    case 'stateobj.value-incremented':
      return { ...base, body: { ...base.body, [event.data.key]: event.data.value } };
    case 'stateobj.value-appended': {
      const list = own(base.body, event.data.key);
      const items = Array.isArray(list) ? list : [];
      return { ...base, body: { ...base.body, [event.data.key]: [...items, event.data.item] } };
    }
    case 'stateobj.lock-acquired': {
      const { lock, holder, token, expiresAt, at } = event.data;
      // Expired locks are dropped on each grant (by the event's own time, so replay agrees),
      // keeping the lock table within its bound without a clock in evolve.
      return {
        ...base,
        locks: { ...live(base.locks, at), [lock]: { holder, token, expiresAt } },
        lastToken: token,
      };
    }
    case 'stateobj.lock-released':
      return { ...base, locks: without(base.locks, event.data.lock) };
    case 'stateobj.owner-changed':
      return { ...base, owner: event.data.to };
  }
}

/** The object after any event: created on its first one, then one version more and modified now. */
function touched(
  state: StateObjectState,
  data: { objectId: string; at: string; owner?: string | null | undefined },
): StateObject {
  if (state.status === 'absent') {
    return {
      status: 'present',
      objectId: data.objectId,
      owner: data.owner ?? null,
      version: 1,
      createdAt: data.at,
      modifiedAt: data.at,
      body: {},
      locks: {},
      lastToken: 0,
    };
  }
  return { ...state, version: state.version + 1, modifiedAt: data.at };
}

function live(locks: Readonly<Record<string, HeldLock>>, now: string): Record<string, HeldLock> {
  return Object.fromEntries(Object.entries(locks).filter(([, lock]) => !isExpired(lock, now)));
}
