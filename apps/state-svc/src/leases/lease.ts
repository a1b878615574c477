import type { EventDraft } from '@kailash/backbone';
import type { LeaseEvent, LeaseSnapshot } from '@kailash/contracts';
import { KailashError, LeaseAcquired, LeaseExpired, LeaseReleased, LeaseRenewed, leaseAggregateId } from '@kailash/contracts';

// ── State ────────────────────────────────────────────────────────────────────

export type Lease = LeaseSnapshot;

/**
 * `vacant`: never granted. A lease that ended keeps its last grant, because the next grant's
 * fencing token must be greater than every token handed out before.
 */
export type LeaseState =
  | { readonly status: 'vacant' }
  | { readonly status: 'held'; readonly lease: Lease }
  | { readonly status: 'released' | 'expired'; readonly lease: Lease; readonly endedAt: string };

export const initialState = (): LeaseState => ({ status: 'vacant' });

// ── Commands ─────────────────────────────────────────────────────────────────
// `now` is the server's clock in ms (the HLC's wall time), read once by the service per command.

interface CommandBase {
  readonly resource: string;
  readonly now: number;
  readonly correlationId?: string;
}

export type LeaseCommand =
  | (CommandBase & { readonly type: 'AcquireLease'; readonly holder: string; readonly ttlMs: number })
  | (CommandBase & { readonly type: 'RenewLease'; readonly holder: string; readonly fencingToken: number; readonly ttlMs?: number })
  | (CommandBase & { readonly type: 'ReleaseLease'; readonly holder: string; readonly fencingToken: number })
  | (CommandBase & { readonly type: 'ExpireLease' });

// ── Decide ───────────────────────────────────────────────────────────────────

export function decide(command: LeaseCommand, state: LeaseState): readonly EventDraft[] {
  switch (command.type) {
    case 'AcquireLease':
      return acquire(command, state);
    case 'RenewLease':
      return [draft(command, LeaseRenewed, renewed(command, heldBy(command, state)))];
    case 'ReleaseLease': {
      const lease = heldBy(command, state);
      return [draft(command, LeaseReleased, { ...lease, releasedAt: iso(command.now) })];
    }
    case 'ExpireLease':
      // Refused quietly (no event) unless the lease is still held and past its deadline: a renewal
      // or another sweeper may have got there first, and a sweeper retrying must not expire twice.
      return state.status === 'held' && isPastDeadline(state.lease, command.now) ? [expiry(command, state.lease)] : [];
  }
}

function acquire(command: Extract<LeaseCommand, { type: 'AcquireLease' }>, state: LeaseState): readonly EventDraft[] {
  const events: EventDraft[] = [];
  if (state.status === 'held') {
    if (!isPastDeadline(state.lease, command.now) && state.lease.holder !== command.holder) throw heldElsewhere(state.lease);
    // A dead lease taken over before the sweeper saw it still gets its expiry, so none is missed.
    if (isPastDeadline(state.lease, command.now)) events.push(expiry(command, state.lease));
  }
  // Every grant fences all earlier ones — also a re-acquire by the same holder, whose old process
  // may still be running with the old token.
  const fencingToken = state.status === 'vacant' ? 1 : state.lease.fencingToken + 1;
  const grant: Lease = {
    resource: command.resource,
    holder: command.holder,
    fencingToken,
    ttlMs: command.ttlMs,
    acquiredAt: iso(command.now),
    renewedAt: null,
    expiresAt: iso(command.now + command.ttlMs),
  };
  events.push(draft(command, LeaseAcquired, grant));
  return events;
}

function renewed(command: Extract<LeaseCommand, { type: 'RenewLease' }>, lease: Lease): Lease {
  const ttlMs = command.ttlMs ?? lease.ttlMs;
  return { ...lease, ttlMs, renewedAt: iso(command.now), expiresAt: iso(command.now + ttlMs) };
}

/** The lease, if `command` comes from its current holder with the current token before the deadline. */
function heldBy(command: CommandBase & { readonly holder: string; readonly fencingToken: number }, state: LeaseState): Lease {
  if (state.status !== 'held') {
    throw new KailashError('CONFLICT', `the lease on '${command.resource}' is not held (${state.status})`, {
      resource: command.resource,
      status: state.status,
    });
  }
  const { lease } = state;
  if (isPastDeadline(lease, command.now)) {
    // Only expiry may end a lease past its deadline; the holder must acquire again.
    throw new KailashError('CONFLICT', `the lease on '${command.resource}' expired at ${lease.expiresAt}`, {
      resource: command.resource,
      expiresAt: lease.expiresAt,
    });
  }
  if (lease.holder !== command.holder) throw heldElsewhere(lease);
  if (lease.fencingToken !== command.fencingToken) {
    throw new KailashError(
      'CONFLICT',
      `fencing token ${command.fencingToken} for '${command.resource}' is stale; the current grant is ${lease.fencingToken}`,
      { resource: command.resource, fencingToken: lease.fencingToken },
    );
  }
  return lease;
}

function heldElsewhere(lease: Lease): KailashError {
  return new KailashError('CONFLICT', `the lease on '${lease.resource}' is held by '${lease.holder}' until ${lease.expiresAt}`, {
    resource: lease.resource,
    holder: lease.holder,
    expiresAt: lease.expiresAt,
  });
}

function expiry(command: CommandBase, lease: Lease): EventDraft {
  return draft(command, LeaseExpired, { ...lease, expiredAt: iso(Math.max(command.now, Date.parse(lease.expiresAt))) });
}

export function isPastDeadline(lease: Lease, now: number): boolean {
  return Date.parse(lease.expiresAt) <= now;
}

function draft<D extends EventDraft['definition']>(command: CommandBase, definition: D, data: EventDraft<D>['data']): EventDraft<D> {
  return {
    definition,
    aggregateId: leaseAggregateId(command.resource),
    data,
    ...(command.correlationId ? { correlationId: command.correlationId } : {}),
  };
}

const iso = (ms: number): string => new Date(ms).toISOString();

// ── Evolve ───────────────────────────────────────────────────────────────────

/**
 * Every lease event carries the whole lease, so the new state depends on the event alone; that is
 * what lets the write side load a lease from its last event (the `last-event` load strategy in leases.service.ts).
 */
export function evolve(state: LeaseState, event: LeaseEvent): LeaseState {
  switch (event.type) {
    case 'lease.acquired':
    case 'lease.renewed':
      return { status: 'held', lease: event.data };
    case 'lease.released': {
      const { releasedAt, ...lease } = event.data;
      return { status: 'released', lease, endedAt: releasedAt };
    }
    case 'lease.expired': {
      const { expiredAt, ...lease } = event.data;
      return { status: 'expired', lease, endedAt: expiredAt };
    }
    default:
      return state;
  }
}
