import type { EpochMs } from './epoch-ms';
import { assertEpochMs } from './epoch-ms';
import type { FencingToken, Grant, LeaseState } from './lease-state';
import { isPastDeadline } from './lease-state';
import type { Decision, Refusal } from './refusal';

/**
 * The lease and lock rules (docs/locks-and-leases.md). Pure: the caller reads `now` once per
 * command from its clock and records what a decision returns; nothing here reads a clock or stores.
 */

export interface AcquireRequest {
  readonly holder: string;
  readonly ttlMs: number;
}

export interface HolderRequest {
  readonly holder: string;
  readonly token: FencingToken;
}

export interface RenewRequest extends HolderRequest {
  readonly ttlMs: number;
}

export type Acquired = {
  readonly state: LeaseState;
  readonly granted: Grant;
  /** The lapsed grant this acquire ended, so its expiry is recorded before the new grant. */
  readonly expired?: Grant;
};

/**
 * Grants the resource unless someone else holds a live grant. A lapsed grant is ended (expired)
 * first. The current holder acquiring again gets a new grant too: its earlier process, if still
 * running, holds a token that is now stale.
 */
export function acquire(state: LeaseState, request: AcquireRequest, now: EpochMs): Decision<Acquired> {
  checkHolder(request.holder);
  checkTtl(request.ttlMs, now);
  const lapsed = state.status === 'held' && isPastDeadline(state.grant, now) ? state.grant : undefined;
  if (state.status === 'held' && !lapsed && state.grant.holder !== request.holder) {
    return refused({ reason: 'held', holder: state.grant.holder, expiresAt: state.grant.expiresAt });
  }
  if (state.lastToken >= Number.MAX_SAFE_INTEGER) {
    return refused({ reason: 'tokens-exhausted', lastToken: state.lastToken });
  }
  const granted: Grant = {
    holder: request.holder,
    token: state.lastToken + 1,
    expiresAt: now + request.ttlMs,
  };
  return {
    ok: true,
    state: { status: 'held', lastToken: granted.token, grant: granted },
    granted,
    ...(lapsed ? { expired: lapsed } : {}),
  };
}

/** Moves the deadline of a live grant to `now + ttlMs`; only its holder with its token may. */
export function renew(
  state: LeaseState,
  request: RenewRequest,
  now: EpochMs,
): Decision<{ readonly state: LeaseState; readonly renewed: Grant }> {
  const held = heldBy(state, request, now);
  if (!held.ok) return held;
  checkTtl(request.ttlMs, now);
  const renewed: Grant = { ...held.grant, expiresAt: now + request.ttlMs };
  return { ok: true, state: { status: 'held', lastToken: state.lastToken, grant: renewed }, renewed };
}

/** Ends a live grant before its deadline; only its holder with its token may. */
export function release(
  state: LeaseState,
  request: HolderRequest,
  now: EpochMs,
): Decision<{ readonly state: LeaseState; readonly released: Grant }> {
  const held = heldBy(state, request, now);
  if (!held.ok) return held;
  return {
    ok: true,
    state: { status: 'released', lastToken: state.lastToken, grant: held.grant, endedAt: now },
    released: held.grant,
  };
}

/**
 * Ends a grant that is past its deadline. Never refuses: anything else (not held, renewed in the
 * meantime, already expired) changes nothing, so any number of sweepers may call it any number
 * of times and the expiry is recorded once.
 */
export function expire(
  state: LeaseState,
  now: EpochMs,
): { readonly state: LeaseState; readonly expired?: Grant } {
  assertEpochMs(now, 'now');
  if (state.status !== 'held' || !isPastDeadline(state.grant, now)) return { state };
  return {
    state: { status: 'expired', lastToken: state.lastToken, grant: state.grant, endedAt: now },
    expired: state.grant,
  };
}

/** A write fenced by `token` goes through only while that very grant is live. */
export function checkFence(
  state: LeaseState,
  token: FencingToken,
  now: EpochMs,
): Decision<{ readonly grant: Grant }> {
  const live = liveRecorded(state, now);
  if (!live.ok) return live;
  if (live.grant.token !== token) return refused({ reason: 'stale-token', token });
  return live;
}

/** Checked in this order, so each refusal names the first thing wrong. */
function heldBy(
  state: LeaseState,
  request: HolderRequest,
  now: EpochMs,
): Decision<{ readonly grant: Grant }> {
  checkHolder(request.holder);
  const live = liveRecorded(state, now);
  if (!live.ok) return live;
  const { grant } = live;
  if (grant.holder !== request.holder)
    return refused({ reason: 'held', holder: grant.holder, expiresAt: grant.expiresAt });
  if (grant.token !== request.token) return refused({ reason: 'stale-token', token: request.token });
  return live;
}

function liveRecorded(state: LeaseState, now: EpochMs): Decision<{ readonly grant: Grant }> {
  assertEpochMs(now, 'now');
  if (state.status !== 'held') return refused({ reason: 'not-held', status: state.status });
  if (isPastDeadline(state.grant, now))
    return refused({ reason: 'expired', expiresAt: state.grant.expiresAt });
  return { ok: true, grant: state.grant };
}

const refused = (refusal: Refusal): { readonly ok: false; readonly refusal: Refusal } => ({
  ok: false,
  refusal,
});

// The boundary validates client input; these catch a caller that skipped it.
function checkHolder(holder: string): void {
  if (typeof holder !== 'string' || holder.length === 0)
    throw new RangeError('holder must be a non-empty string');
}

function checkTtl(ttlMs: number, now: EpochMs): void {
  assertEpochMs(now, 'now');
  if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0 || !Number.isSafeInteger(now + ttlMs)) {
    throw new RangeError(`ttlMs must be a positive integer number of milliseconds, got ${ttlMs}`);
  }
}
