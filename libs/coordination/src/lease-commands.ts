import { acquire, expire, release, renew, vacant } from '@kailash/leasing';
import type {
  LeaseExpireCommand,
  LeaseGrantCommand,
  LeaseKeepAliveCommand,
  LeaseRevokeCommand,
  SessionCloseCommand,
  SessionOpenCommand,
} from './commands';
import type { Entry } from './entry';
import { leaseViewOf } from './queries';
import { leaseNotFound, leaseRefused, refusal, Refused } from './refusals';
import type { OkResult } from './responses';
import type { LeaseRecord } from './state';

/**
 * Leases on the shared lease rules (@kailash/leasing): every lease is one resource of the rules, and
 * all leases share one token counter, so a lease's id is its fencing token. Time is the entry's
 * leader time; a lease ends only by revoke or by the leader's `lease.expire` entry.
 */

export const ANONYMOUS_HOLDER = 'anonymous';

export function grant(
  entry: Entry,
  command: LeaseGrantCommand,
  client?: number,
): OkResult<'lease.grant'> | Refused {
  const holder = command.holder ?? (client !== undefined ? `client-${client}` : ANONYMOUS_HOLDER);
  const lease = grantLease(entry, holder, command.ttlMs);
  return lease instanceof Refused ? lease : { lease: leaseViewOf(lease) };
}

export function keepAlive(
  entry: Entry,
  command: LeaseKeepAliveCommand,
): OkResult<'lease.keepalive'> | Refused {
  const lease = entry.state.leases.get(command.id);
  if (!lease) return leaseNotFound(command.id);
  const decision = renew(
    lease.rules,
    { holder: lease.holder, token: lease.id, ttlMs: lease.ttlMs },
    entry.now,
  );
  if (!decision.ok) return leaseRefused(decision.refusal, lease.id);
  lease.rules = decision.state;
  return { lease: leaseViewOf(lease) };
}

/**
 * Ends a lease now and deletes its keys. A lease past its deadline that the leader has not expired
 * yet is recorded as expired (its exclusivity ended at the deadline, not now), a live one as revoked.
 */
export function revoke(entry: Entry, command: LeaseRevokeCommand): OkResult<'lease.revoke'> | Refused {
  const lease = entry.state.leases.get(command.id);
  if (!lease) return leaseNotFound(command.id);
  const released = release(lease.rules, { holder: lease.holder, token: lease.id }, entry.now);
  if (released.ok) return { deletedKeys: entry.endLease(lease, 'lease.revoked') };
  const expired = expire(lease.rules, entry.now);
  if (expired.expired) return { deletedKeys: entry.endLease(lease, 'lease.expired') };
  return leaseRefused(released.refusal, lease.id);
}

/** The leader's expiry of leases it found due; one still live at the entry's time is left alone. */
export function expireLeases(entry: Entry, command: LeaseExpireCommand): OkResult<'lease.expire'> {
  const expired: number[] = [];
  for (const id of command.ids) {
    const lease = entry.state.leases.get(id);
    if (!lease || !expire(lease.rules, entry.now).expired) continue;
    entry.endLease(lease, 'lease.expired');
    expired.push(id);
  }
  return { expired };
}

/** A session is a lease with a response cache: its id is the client id, and it ends with the lease. */
export function openSession(entry: Entry, command: SessionOpenCommand): OkResult<'session.open'> | Refused {
  const lease = grantLease(entry, command.holder ?? ANONYMOUS_HOLDER, command.ttlMs);
  if (lease instanceof Refused) return lease;
  entry.state.sessions.set(lease.id, { clientId: lease.id, floor: 1, responses: new Map() });
  const view = leaseViewOf(lease);
  entry.facts.push({ type: 'session.opened', clientId: lease.id, lease: view });
  return { clientId: lease.id, lease: view };
}

export function closeSession(
  entry: Entry,
  command: SessionCloseCommand,
): OkResult<'session.close'> | Refused {
  if (!entry.state.sessions.has(command.clientId)) return sessionNotFound(command.clientId);
  const lease = entry.state.leases.get(command.clientId) as LeaseRecord;
  entry.endLease(lease, 'lease.revoked');
  return { closed: true };
}

export const sessionNotFound = (clientId: number): Refused =>
  refusal(
    'NOT_FOUND',
    'session-not-found',
    `session ${clientId} does not exist (never opened, expired or closed)`,
    {
      clientId,
    },
  );

function grantLease(entry: Entry, holder: string, ttlMs: number): LeaseRecord | Refused {
  const { state } = entry;
  const decision = acquire(vacant(state.lastLeaseId), { holder, ttlMs }, entry.now);
  if (!decision.ok) return leaseRefused(decision.refusal, state.lastLeaseId + 1);
  const id = decision.granted.token;
  const lease: LeaseRecord = {
    id,
    holder,
    ttlMs,
    grantedAt: entry.now,
    rules: decision.state,
    keys: new Set(),
  };
  state.lastLeaseId = id;
  state.leases.set(id, lease);
  entry.facts.push({ type: 'lease.granted', lease: leaseViewOf(lease) });
  return lease;
}
