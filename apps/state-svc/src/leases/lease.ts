import type { EventDraft } from '@kailash/backbone';
import type { LeaseEvent, LeaseSnapshot } from '@kailash/contracts';
import {
  LeaseAcquired,
  LeaseExpired,
  LeaseReleased,
  LeaseRenewed,
  leaseAggregateId,
} from '@kailash/contracts';
import type { EpochMs, Grant, LeaseState as Rules, LeaseTarget } from '@kailash/leasing';
import * as rules from '@kailash/leasing';
import { epochMsOf, isoOf, orThrow } from '@kailash/leasing';

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
  readonly now: EpochMs;
  readonly correlationId?: string;
}

export type LeaseCommand =
  | (CommandBase & { readonly type: 'AcquireLease'; readonly holder: string; readonly ttlMs: number })
  | (CommandBase & {
      readonly type: 'RenewLease';
      readonly holder: string;
      readonly fencingToken: number;
      readonly ttlMs?: number;
    })
  | (CommandBase & { readonly type: 'ReleaseLease'; readonly holder: string; readonly fencingToken: number })
  | (CommandBase & { readonly type: 'ExpireLease' });

// ── Decide: the shared lease rules (@kailash/leasing), recorded as lease events ──

export function decide(command: LeaseCommand, state: LeaseState): readonly EventDraft[] {
  const current = toRules(state);
  const target = targetOf(command.resource);
  switch (command.type) {
    case 'AcquireLease': {
      const { granted, expired } = orThrow(rules.acquire(current, command, command.now), target);
      // A dead lease taken over before a sweeper saw it still gets its expiry, so none is missed.
      const expiry = expired ? [expiredEvent(command, heldLease(state))] : [];
      const grant: Lease = {
        resource: command.resource,
        holder: granted.holder,
        fencingToken: granted.token,
        ttlMs: command.ttlMs,
        acquiredAt: isoOf(command.now),
        renewedAt: null,
        expiresAt: isoOf(granted.expiresAt),
      };
      return [...expiry, draft(command, LeaseAcquired, grant)];
    }
    case 'RenewLease': {
      // Omitted, the TTL is the one granted; the rules refuse a vacant lease before reading it.
      const ttlMs = command.ttlMs ?? (state.status === 'vacant' ? 0 : state.lease.ttlMs);
      const request = { holder: command.holder, token: command.fencingToken, ttlMs };
      const { renewed } = orThrow(rules.renew(current, request, command.now), target);
      const lease = heldLease(state);
      return [
        draft(command, LeaseRenewed, {
          ...lease,
          ttlMs,
          renewedAt: isoOf(command.now),
          expiresAt: isoOf(renewed.expiresAt),
        }),
      ];
    }
    case 'ReleaseLease': {
      const request = { holder: command.holder, token: command.fencingToken };
      orThrow(rules.release(current, request, command.now), target);
      return [draft(command, LeaseReleased, { ...heldLease(state), releasedAt: isoOf(command.now) })];
    }
    case 'ExpireLease':
      // Never refused: nothing to expire (renewed, released, already expired) records nothing, so
      // sweepers on every instance, retrying at will, expire a lease once.
      return rules.expire(current, command.now).expired ? [expiredEvent(command, heldLease(state))] : [];
  }
}

/** The lease as the shared rules see it: its grant with its deadline in epoch ms. */
function toRules(state: LeaseState): Rules {
  if (state.status === 'vacant') return rules.vacant();
  const grant = grantOf(state.lease);
  if (state.status === 'held') return { status: 'held', lastToken: grant.token, grant };
  return { status: state.status, lastToken: grant.token, grant, endedAt: epochMsOf(state.endedAt) };
}

const grantOf = (lease: Lease): Grant => ({
  holder: lease.holder,
  token: lease.fencingToken,
  expiresAt: epochMsOf(lease.expiresAt),
});

/** The lease the rules just acted on as held (they refuse or report nothing otherwise). */
function heldLease(state: LeaseState): Lease {
  if (state.status !== 'held') throw new Error(`the lease rules acted on a ${state.status} lease as held`);
  return state.lease;
}

/** A write fenced by `token`: refused (CONFLICT, `details.reason`) unless that very grant is live at `now`. */
export function checkFence(state: LeaseState, resource: string, token: number, now: EpochMs): void {
  orThrow(rules.checkFence(toRules(state), token, now), targetOf(resource));
}

const targetOf = (resource: string): LeaseTarget => ({
  label: `the lease on '${resource}'`,
  details: { resource },
});

function expiredEvent(command: CommandBase, lease: Lease): EventDraft {
  return draft(command, LeaseExpired, { ...lease, expiredAt: isoOf(command.now) });
}

function draft<D extends EventDraft['definition']>(
  command: CommandBase,
  definition: D,
  data: EventDraft<D>['data'],
): EventDraft<D> {
  return {
    definition,
    aggregateId: leaseAggregateId(command.resource),
    data,
    ...(command.correlationId ? { correlationId: command.correlationId } : {}),
  };
}

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
