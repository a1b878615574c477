import type { LeaseSnapshot } from '@kailash/contracts';
import { DeciderSpec } from '@kailash/testing';
import type { LeaseCommand } from './lease';
import { decide, evolve, initialState } from './lease';

const lease = DeciderSpec.for({ decide, evolve, initialState });

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const resource = 'job:compaction';
type Unscoped<C> = C extends unknown ? Omit<C, 'resource'> : never;
const command = (fields: Unscoped<LeaseCommand>) => ({ resource, ...fields }) as LeaseCommand;

const grant: LeaseSnapshot = {
  resource,
  holder: 'worker-1',
  fencingToken: 1,
  ttlMs: 10_000,
  acquiredAt: at(0),
  renewedAt: null,
  expiresAt: at(10_000),
};
const acquired = { type: 'lease.acquired', data: grant };

describe('lease decider, given / when / then', () => {
  it('grants a vacant lease with the first fencing token', () => {
    lease
      .when(command({ type: 'AcquireLease', holder: 'worker-1', ttlMs: 10_000, now: T0 }))
      .then([acquired]);
  });

  it('refuses a held lease to another holder, naming the holder and its deadline', () => {
    lease
      .given([acquired])
      .when(command({ type: 'AcquireLease', holder: 'worker-2', ttlMs: 10_000, now: T0 + 1 }))
      .thenThrows('CONFLICT', { reason: 'held', holder: 'worker-1', expiresAt: at(10_000) });
  });

  it('records the expiry of a dead lease taken over before any sweeper saw it, then the new grant', () => {
    lease
      .given([acquired])
      .when(command({ type: 'AcquireLease', holder: 'worker-2', ttlMs: 5_000, now: T0 + 10_000 }))
      .then([
        { type: 'lease.expired', data: { ...grant, expiredAt: at(10_000) } },
        {
          type: 'lease.acquired',
          data: {
            ...grant,
            holder: 'worker-2',
            fencingToken: 2,
            ttlMs: 5_000,
            acquiredAt: at(10_000),
            expiresAt: at(15_000),
          },
        },
      ]);
  });

  it('renews for the granted TTL when none is given', () => {
    lease
      .given([acquired])
      .when(command({ type: 'RenewLease', holder: 'worker-1', fencingToken: 1, now: T0 + 4_000 }))
      .then([{ type: 'lease.renewed', data: { ...grant, renewedAt: at(4_000), expiresAt: at(14_000) } }]);
  });

  it('refuses a release with a stale token', () => {
    lease
      .given([acquired])
      .when(command({ type: 'ReleaseLease', holder: 'worker-1', fencingToken: 7, now: T0 + 1 }))
      .thenThrows('CONFLICT', { reason: 'stale-token' });
  });

  it('expires a lease once: a second sweep after the expiry records nothing', () => {
    const expire = command({ type: 'ExpireLease', now: T0 + 10_000 });
    lease
      .given([acquired])
      .when(expire)
      .then([{ type: 'lease.expired', data: { ...grant, expiredAt: at(10_000) } }]);
    lease
      .given([acquired, { type: 'lease.expired', data: { ...grant, expiredAt: at(10_000) } }])
      .when(expire)
      .thenNothing();
  });

  it('does not expire a lease before its deadline', () => {
    lease
      .given([acquired])
      .when(command({ type: 'ExpireLease', now: T0 + 9_999 }))
      .thenNothing();
  });
});
