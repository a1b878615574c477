import { isoOf } from '@kailash/leasing';
import type { Refusal as LeaseRefusal } from '@kailash/leasing';
import type { ErrorCode } from '@kailash/contracts';
import type { CoordError, RefusalReason } from './responses';

/** A refusal as data: apply never throws for a client's mistake, it answers one. */
export class Refused {
  constructor(readonly error: CoordError) {}
}

export function refusal(
  code: ErrorCode,
  reason: RefusalReason,
  message: string,
  details: Record<string, unknown> = {},
): Refused {
  return new Refused({ code, reason, message, details });
}

export const leaseNotFound = (lease: number): Refused =>
  refusal('NOT_FOUND', 'lease-not-found', `lease ${lease} does not exist (never granted, or ended)`, {
    lease,
  });

export const reservedKey = (key: string): Refused =>
  refusal('VALIDATION_FAILED', 'reserved-key', `key '${key}' is reserved for locks and elections`, { key });

/** The lease rules' refusal, as the CONFLICT a client gets (`details.lease` names the lease). */
export function leaseRefused(refused: LeaseRefusal, lease: number): Refused {
  const label = `lease ${lease}`;
  switch (refused.reason) {
    case 'held':
      return refusal('CONFLICT', 'held', `${label} is held by '${refused.holder}'`, {
        lease,
        holder: refused.holder,
      });
    case 'not-held':
      return refusal('CONFLICT', 'not-held', `${label} is not held (${refused.status})`, {
        lease,
        status: refused.status,
      });
    case 'expired':
      return refusal('CONFLICT', 'expired', `${label} expired at ${isoOf(refused.expiresAt)}`, {
        lease,
        expiresAt: refused.expiresAt,
      });
    case 'stale-token':
      return refusal('CONFLICT', 'stale-token', `${label}: fencing token ${refused.token} is stale`, {
        lease,
        token: refused.token,
      });
    case 'tokens-exhausted':
      return refusal(
        'CONFLICT',
        'tokens-exhausted',
        `lease ids are used up (the last was ${refused.lastToken})`,
        {
          lastToken: refused.lastToken,
        },
      );
  }
}
