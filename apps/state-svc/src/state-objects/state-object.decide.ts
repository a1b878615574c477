import type { EventDraft } from '@kailash/backbone';
import type { EventDefinition, DataOf, StateFence, StateJsonValue } from '@kailash/contracts';
import {
  isExact,
  stateJsonBytes,
  KailashError,
  STATE_OBJECT_LIMITS,
  StateKeyDeleted,
  StateLockAcquired,
  StateLockReleased,
  StateObjectOwnerChanged,
  StateValueAppended,
  StateValueIncremented,
  StateValueSet,
  StateValuesUpdated,
} from '@kailash/contracts';
import type { LeaseTarget } from '@kailash/leasing';
import * as leasing from '@kailash/leasing';
import { epochMsOf, isoOf, orThrow } from '@kailash/leasing';
import { chooseOwner } from './owner-affinity';
import type { StateObjectState } from './state-object';
import { isExpired, lockState, own } from './state-object';

// ── Commands ─────────────────────────────────────────────────────────────────

export type StateObjectOperation =
  | { readonly type: 'SetValue'; readonly key: string; readonly value: StateJsonValue }
  | {
      readonly type: 'UpdateValues';
      readonly expectedVersion: number;
      readonly values: Readonly<Record<string, StateJsonValue>>;
    }
  | { readonly type: 'DeleteKey'; readonly key: string }
  | { readonly type: 'Increment'; readonly key: string; readonly by: number }
  | { readonly type: 'Append'; readonly key: string; readonly item: StateJsonValue }
  | { readonly type: 'Lock'; readonly lock: string; readonly holder: string; readonly ttlMs: number }
  | { readonly type: 'Unlock'; readonly lock: string; readonly holder: string; readonly token: number }
  | { readonly type: 'TransferOwnership'; readonly from: string | null; readonly reason: string };

export type StateObjectCommand = StateObjectOperation & {
  readonly objectId: string;
  readonly now: string;
  /** Edges that may own the object now; read by the service, so decide stays pure. */
  readonly activeEdges: readonly string[];
  readonly fence?: StateFence;
  readonly correlationId?: string;
};

type Draft = EventDraft;

// ── Decide ───────────────────────────────────────────────────────────────────

/** At most one event per command: JetStream 2.9 has no atomic multi-message append. */
export function decide(command: StateObjectCommand, state: StateObjectState): readonly Draft[] {
  if (command.type === 'TransferOwnership') return transfer(command, state);
  if (command.type === 'Unlock') return unlock(command, state);
  if (command.type === 'Lock') return lock(command, state);
  checkFence(command, state);
  switch (command.type) {
    case 'SetValue':
      return [
        withinLimits(
          state,
          event(command, state, StateValueSet, { key: command.key, value: command.value }),
          { [command.key]: command.value },
        ),
      ];
    case 'UpdateValues':
      return update(command, state);
    case 'DeleteKey':
      return deleteKey(command, state);
    case 'Increment':
      return increment(command, state);
    case 'Append':
      return append(command, state);
  }
}

function update(command: StateObjectCommand & { type: 'UpdateValues' }, state: StateObjectState): Draft[] {
  const actual = state.status === 'present' ? state.version : 0;
  if (command.expectedVersion !== actual) {
    throw new KailashError(
      'PRECONDITION_FAILED',
      `state object '${command.objectId}' is at version ${actual}, not ${command.expectedVersion}`,
      { objectId: command.objectId, expectedVersion: command.expectedVersion, actualVersion: actual },
    );
  }
  const data = { expectedVersion: command.expectedVersion, values: { ...command.values } };
  return [withinLimits(state, event(command, state, StateValuesUpdated, data), command.values)];
}

function deleteKey(command: StateObjectCommand & { type: 'DeleteKey' }, state: StateObjectState): Draft[] {
  if (state.status === 'absent' || own(state.body, command.key) === undefined)
    throw missingKey(command.objectId, command.key);
  return [event(command, state, StateKeyDeleted, { key: command.key })];
}

function increment(command: StateObjectCommand & { type: 'Increment' }, state: StateObjectState): Draft[] {
  // A key holding null is not missing: only an absent key counts from 0.
  const current = valueOr(state, command.key, 0);
  if (typeof current !== 'number')
    throw wrongType(command.objectId, command.key, current, 'a number', 'increment');
  const value = current + command.by;
  // Past 2^53 a step of 1 may change nothing: refuse rather than store a rounded count.
  if (!isExact(value)) {
    throw new KailashError(
      'CONFLICT',
      `incrementing '${command.key}' of state object '${command.objectId}' would leave the exact range (±${Number.MAX_SAFE_INTEGER})`,
      {
        objectId: command.objectId,
        key: command.key,
      },
    );
  }
  return [
    withinLimits(
      state,
      event(command, state, StateValueIncremented, { key: command.key, by: command.by, value }),
      { [command.key]: value },
    ),
  ];
}

function append(command: StateObjectCommand & { type: 'Append' }, state: StateObjectState): Draft[] {
  const current = valueOr(state, command.key, []);
  if (!Array.isArray(current)) throw wrongType(command.objectId, command.key, current, 'a list', 'append to');
  const list = [...current, command.item];
  if (stateJsonBytes(list) > STATE_OBJECT_LIMITS.maxValueBytes) {
    throw new KailashError(
      'PAYLOAD_TOO_LARGE',
      `appending to '${command.key}' would make it larger than ${STATE_OBJECT_LIMITS.maxValueBytes} bytes`,
      { objectId: command.objectId, key: command.key, limit: STATE_OBJECT_LIMITS.maxValueBytes },
    );
  }
  return [
    withinLimits(state, event(command, state, StateValueAppended, { key: command.key, item: command.item }), {
      [command.key]: list,
    }),
  ];
}

// ── Locks: the shared lease rules (@kailash/leasing), one resource per lock name ──

function lock(command: StateObjectCommand & { type: 'Lock' }, state: StateObjectState): Draft[] {
  const now = epochMsOf(command.now);
  const { granted } = orThrow(
    leasing.acquire(lockState(state, command.lock), command, now),
    lockTarget(command),
  );
  // A lapsed grant needs no event of its own: evolve drops lapsed locks on every grant.
  const liveOthers = Object.entries(state.status === 'present' ? state.locks : {}).filter(
    ([name, other]) => name !== command.lock && !isExpired(other, command.now),
  );
  if (liveOthers.length >= STATE_OBJECT_LIMITS.maxLocks) {
    throw new KailashError(
      'CONFLICT',
      `state object '${command.objectId}' already holds ${STATE_OBJECT_LIMITS.maxLocks} locks`,
      { objectId: command.objectId, limit: STATE_OBJECT_LIMITS.maxLocks },
    );
  }
  return [
    event(command, state, StateLockAcquired, {
      lock: command.lock,
      holder: granted.holder,
      token: granted.token,
      expiresAt: isoOf(granted.expiresAt),
    }),
  ];
}

/** Only the grantee knows both holder and token, and only before the deadline may it give the lock back. */
function unlock(command: StateObjectCommand & { type: 'Unlock' }, state: StateObjectState): Draft[] {
  const request = { holder: command.holder, token: command.token };
  const { released } = orThrow(
    leasing.release(lockState(state, command.lock), request, epochMsOf(command.now)),
    lockTarget(command),
  );
  return [
    event(command, state, StateLockReleased, {
      lock: command.lock,
      holder: released.holder,
      token: released.token,
    }),
  ];
}

/** A fenced write goes through only while its lock is held, unexpired, with exactly its token. */
function checkFence(command: StateObjectCommand, state: StateObjectState): void {
  if (!command.fence) return;
  const { lock, token } = command.fence;
  orThrow(
    leasing.checkFence(lockState(state, lock), token, epochMsOf(command.now)),
    lockTarget({ ...command, lock }),
  );
}

const lockTarget = ({ objectId, lock }: { objectId: string; lock: string }): LeaseTarget => ({
  label: `lock '${lock}' of state object '${objectId}'`,
  details: { objectId, lock },
});

// ── Ownership ────────────────────────────────────────────────────────────────

/**
 * Re-homes an object whose owner (`from`) is gone or missing, onto its rendezvous choice among the
 * active edges (which the caller gives without the departing one). A no-op (no event) when the
 * owner changed meanwhile or is still active, so re-running a reassignment is harmless.
 */
function transfer(
  command: StateObjectCommand & { type: 'TransferOwnership' },
  state: StateObjectState,
): Draft[] {
  if (state.status === 'absent' || state.owner !== command.from) return [];
  if (command.from !== null && command.activeEdges.includes(command.from)) return [];
  const to = chooseOwner(command.objectId, command.activeEdges);
  if (to === state.owner) return [];
  return [event(command, state, StateObjectOwnerChanged, { from: state.owner, to, reason: command.reason })];
}

// ── Helpers ──────────────────────────────────────────────────────────────────

type OwnData<D extends EventDefinition> = Omit<DataOf<D>, 'objectId' | 'at' | 'owner'>;

/** An event draft; the first event of an object also records its owner, chosen among the active edges. */
function event<D extends EventDefinition>(
  command: StateObjectCommand,
  state: StateObjectState,
  definition: D,
  data: OwnData<D>,
): Draft {
  const owner =
    state.status === 'absent' ? { owner: chooseOwner(command.objectId, command.activeEdges) } : {};
  return {
    definition,
    aggregateId: command.objectId,
    data: { objectId: command.objectId, at: command.now, ...owner, ...data },
    ...(command.correlationId ? { correlationId: command.correlationId } : {}),
  };
}

/** Refuses a write that would leave the object with too many keys or too many bytes. */
function withinLimits(
  state: StateObjectState,
  draft: Draft,
  changes: Readonly<Record<string, StateJsonValue>>,
): Draft {
  const body = { ...(state.status === 'present' ? state.body : {}), ...changes };
  const objectId = draft.aggregateId;
  const keys = Object.keys(body).length;
  if (keys > STATE_OBJECT_LIMITS.maxKeys) {
    throw new KailashError(
      'CONFLICT',
      `state object '${objectId}' may hold at most ${STATE_OBJECT_LIMITS.maxKeys} keys`,
      {
        objectId,
        limit: STATE_OBJECT_LIMITS.maxKeys,
      },
    );
  }
  if (stateJsonBytes(body) > STATE_OBJECT_LIMITS.maxObjectBytes) {
    throw new KailashError(
      'PAYLOAD_TOO_LARGE',
      `state object '${objectId}' may hold at most ${STATE_OBJECT_LIMITS.maxObjectBytes} bytes`,
      {
        objectId,
        limit: STATE_OBJECT_LIMITS.maxObjectBytes,
      },
    );
  }
  return draft;
}

function valueOr(state: StateObjectState, key: string, fallback: StateJsonValue): StateJsonValue {
  const stored = state.status === 'present' ? own(state.body, key) : undefined;
  return stored === undefined ? fallback : stored;
}

function missingKey(objectId: string, key: string): KailashError {
  return new KailashError('NOT_FOUND', `state object '${objectId}' has no key '${key}'`, { objectId, key });
}

function wrongType(
  objectId: string,
  key: string,
  current: StateJsonValue,
  expected: string,
  verb: string,
): KailashError {
  const actual =
    current === null
      ? 'null'
      : Array.isArray(current)
        ? 'a list'
        : typeof current === 'object'
          ? 'an object'
          : `a ${typeof current}`;
  return new KailashError(
    'CONFLICT',
    `cannot ${verb} '${key}' of state object '${objectId}': it holds ${actual}, not ${expected}`,
    {
      objectId,
      key,
      holds: actual,
    },
  );
}
