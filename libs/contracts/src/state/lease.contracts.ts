import { z } from 'zod';
import type { EventOf } from '../envelope';
import { defineCommand, defineEvent, defineQuery } from '../envelope';
import { STATE_DOMAIN } from './edge.requests';

/**
 * Leases with TTL: a holder owns a named resource until `expiresAt`, renews to keep it, and gets a
 * fencing token that grows with every new grant of that resource. The rules, and the CONFLICT
 * refusals with their `details.reason`, are @kailash/leasing's (docs/locks-and-leases.md). Times on
 * the wire are ISO-8601 UTC strings with milliseconds; the rules decide in epoch milliseconds.
 */

export const LEASE_AGGREGATE = 'lease';
/** Below a second, clock skew between instances (bounded by the HLC's 500 ms guard) would dominate. */
export const LEASE_TTL_MIN_MS = 1_000;
export const LEASE_TTL_MAX_MS = 3_600_000;
export const LEASE_RESOURCE_MAX_LENGTH = 64;

/** `<name>` or `<kind>:<name>`; an edge's liveness lease is `edge:<edgeId>`. */
export const leaseResourceSchema = z
  .string()
  .max(LEASE_RESOURCE_MAX_LENGTH)
  .regex(
    /^(?:[a-z][a-z0-9-]{0,31}:)?[A-Za-z0-9_-]+$/,
    'must be <name> or <kind>:<name> (name of A-Z a-z 0-9 _ -)',
  );

export const leaseHolderSchema = z
  .string()
  .regex(/^[\x21-\x7e]{1,128}$/, 'must be 1-128 printable ASCII characters without spaces');
export const fencingTokenSchema = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);
export const leaseTtlSchema = z.number().int().min(LEASE_TTL_MIN_MS).max(LEASE_TTL_MAX_MS);

const EDGE_RESOURCE_PREFIX = 'edge:';

/** The edge a resource name designates (`edge:<edgeId>`), or undefined for any other resource. */
export function edgeIdOfLeaseResource(resource: string): string | undefined {
  return resource.startsWith(EDGE_RESOURCE_PREFIX) ? resource.slice(EDGE_RESOURCE_PREFIX.length) : undefined;
}

/**
 * The aggregate id (a subject token) of a resource. `:` may not appear in a subject token, so it is
 * escaped: `_` → `__`, `:` → `_-`. The code is prefix-free, so two resources never share a subject.
 */
export function leaseAggregateId(resource: string): string {
  return resource.replace(/[_:]/g, (char) => (char === '_' ? '__' : '_-'));
}

// ── Events ───────────────────────────────────────────────────────────────────
// Every lease event carries the whole lease, so the last event alone is the aggregate's state: a
// lease renewed every few seconds for months still loads in one read. TTL bounds are not enforced
// here, so stored events stay valid if the bounds ever change.

const timestamp = z.iso.datetime();
const leaseSnapshotSchema = z.strictObject({
  resource: leaseResourceSchema,
  holder: leaseHolderSchema,
  fencingToken: fencingTokenSchema,
  ttlMs: z.number().int().positive(),
  acquiredAt: timestamp,
  renewedAt: timestamp.nullable(),
  expiresAt: timestamp,
});
export type LeaseSnapshot = z.output<typeof leaseSnapshotSchema>;

export const LeaseAcquired = defineEvent('lease.acquired', {
  aggregateType: LEASE_AGGREGATE,
  data: leaseSnapshotSchema,
});
export type LeaseAcquired = EventOf<typeof LeaseAcquired>;

export const LeaseRenewed = defineEvent('lease.renewed', {
  aggregateType: LEASE_AGGREGATE,
  data: leaseSnapshotSchema,
});
export type LeaseRenewed = EventOf<typeof LeaseRenewed>;

export const LeaseReleased = defineEvent('lease.released', {
  aggregateType: LEASE_AGGREGATE,
  data: leaseSnapshotSchema.extend({ releasedAt: timestamp }),
});
export type LeaseReleased = EventOf<typeof LeaseReleased>;

/** The holder did not renew in time; `expiredAt` is when the service noticed (≥ `expiresAt`). */
export const LeaseExpired = defineEvent('lease.expired', {
  aggregateType: LEASE_AGGREGATE,
  data: leaseSnapshotSchema.extend({ expiredAt: timestamp }),
});
export type LeaseExpired = EventOf<typeof LeaseExpired>;

export const LEASE_EVENTS = [LeaseAcquired, LeaseRenewed, LeaseReleased, LeaseExpired] as const;
export type LeaseEvent = LeaseAcquired | LeaseRenewed | LeaseReleased | LeaseExpired;

// ── Requests ─────────────────────────────────────────────────────────────────

export const leaseAcquireSchema = z.strictObject({ holder: leaseHolderSchema, ttlMs: leaseTtlSchema });
export type LeaseAcquireRequest = z.output<typeof leaseAcquireSchema>;

/** `ttlMs` omitted keeps the TTL the lease was granted with. */
export const leaseRenewSchema = z.strictObject({
  holder: leaseHolderSchema,
  fencingToken: fencingTokenSchema,
  ttlMs: leaseTtlSchema.optional(),
});
export type LeaseRenewRequest = z.output<typeof leaseRenewSchema>;

export const leaseReleaseSchema = z.strictObject({
  holder: leaseHolderSchema,
  fencingToken: fencingTokenSchema,
});
export type LeaseReleaseRequest = z.output<typeof leaseReleaseSchema>;

export const LEASE_STATUSES = ['held', 'released', 'expired'] as const;

/** A lease as REST and NATS return it; `version` is the stream sequence of its last event. */
export const leaseViewSchema = z.strictObject({
  resource: leaseResourceSchema,
  status: z.enum(LEASE_STATUSES),
  holder: leaseHolderSchema,
  fencingToken: fencingTokenSchema,
  ttlMs: z.number().int().positive(),
  acquiredAt: z.string(),
  renewedAt: z.string().nullable(),
  expiresAt: z.string(),
  endedAt: z.string().nullable(),
  version: z.number().int().nonnegative(),
});
export type LeaseView = z.output<typeof leaseViewSchema>;

const resourceRef = { resource: leaseResourceSchema };

export const AcquireLease = defineCommand(STATE_DOMAIN, 'lease.acquire', {
  data: leaseAcquireSchema.extend(resourceRef),
  result: leaseViewSchema,
});

export const RenewLease = defineCommand(STATE_DOMAIN, 'lease.renew', {
  data: leaseRenewSchema.extend(resourceRef),
  result: leaseViewSchema,
});

export const ReleaseLease = defineCommand(STATE_DOMAIN, 'lease.release', {
  data: leaseReleaseSchema.extend(resourceRef),
  result: leaseViewSchema,
});

export const GetLease = defineQuery(STATE_DOMAIN, 'lease.get', {
  data: z.strictObject(resourceRef),
  result: leaseViewSchema,
});
