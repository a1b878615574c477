import { KailashError } from '@kailash/contracts';
import type { EpochMs } from './epoch-ms';
import { isoOf } from './epoch-ms';
import type { FencingToken, LeaseStatus } from './lease-state';

/** Why the rules refused a request; every refusal is a CONFLICT (409) with `details.reason`. */
export type Refusal =
  /** Someone else holds a live grant. */
  | { readonly reason: 'held'; readonly holder: string; readonly expiresAt: EpochMs }
  /** Nothing is held: never granted, released, or expired. */
  | { readonly reason: 'not-held'; readonly status: Exclude<LeaseStatus, 'held'> }
  /** The grant is past its deadline; only expiry (or a new acquire) ends it now. */
  | { readonly reason: 'expired'; readonly expiresAt: EpochMs }
  /** The holder is right but the token is not the current grant's: an earlier grant's process. */
  | { readonly reason: 'stale-token'; readonly token: FencingToken }
  /** The counter reached the largest exactly representable token. */
  | { readonly reason: 'tokens-exhausted'; readonly lastToken: number };

export type RefusalReason = Refusal['reason'];

export type Decision<T> = ({ readonly ok: true } & T) | { readonly ok: false; readonly refusal: Refusal };

/** How a refusal names what was refused, in its message and its details. */
export interface LeaseTarget {
  /** e.g. `the lease on 'edge:paris-1'`, `lock 'writer' of state object 'cart-7'` */
  readonly label: string;
  /** e.g. `{ resource }`, `{ objectId, lock }`; comes first in the details. */
  readonly details: Readonly<Record<string, unknown>>;
}

/**
 * The one error of a refusal. Details never carry the current grant's token: only its grantee
 * should know it, since holder and token together are what renew, release and fenced writes check.
 */
export function refusalError(refusal: Refusal, target: LeaseTarget): KailashError {
  const conflict = (message: string, details: Record<string, unknown>) =>
    new KailashError('CONFLICT', `${target.label}${message}`, {
      ...target.details,
      reason: refusal.reason,
      ...details,
    });
  switch (refusal.reason) {
    case 'held': {
      const expiresAt = isoOf(refusal.expiresAt);
      return conflict(` is held by '${refusal.holder}' until ${expiresAt}`, {
        holder: refusal.holder,
        expiresAt,
      });
    }
    case 'not-held':
      return conflict(` is not held (${refusal.status})`, { status: refusal.status });
    case 'expired': {
      const expiresAt = isoOf(refusal.expiresAt);
      return conflict(` expired at ${expiresAt}`, { expiresAt });
    }
    case 'stale-token':
      return conflict(`: fencing token ${refusal.token} is stale`, {
        token: refusal.token,
      });
    case 'tokens-exhausted':
      return conflict(` has used up its fencing tokens (the last was ${refusal.lastToken})`, {
        lastToken: refusal.lastToken,
      });
  }
}

/** The decision's value, or its refusal thrown as the one error of that refusal. */
export function orThrow<T>(decision: Decision<T>, target: LeaseTarget): T {
  if (!decision.ok) throw refusalError(decision.refusal, target);
  return decision;
}
