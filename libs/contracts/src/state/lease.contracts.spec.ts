import { subjectToken } from '../subjects';
import { parseWith } from '../validation';
import {
  AcquireLease,
  edgeIdOfLeaseResource,
  LEASE_TTL_MAX_MS,
  LEASE_TTL_MIN_MS,
  leaseAggregateId,
  leaseResourceSchema,
  RenewLease,
} from './lease.contracts';

describe('lease contracts', () => {
  it.each(['edge:paris-1', 'build-cache', 'job:nightly_backup', 'a', 'x'.repeat(64)])(
    'accepts the resource name %s',
    (resource) => {
      expect(leaseResourceSchema.parse(resource)).toBe(resource);
    },
  );

  it.each(['', 'Edge:paris', 'edge:', ':x', 'a:b:c', 'has.dot', 'has space', 'x'.repeat(65)])(
    'refuses the resource name %j',
    (resource) => {
      expect(leaseResourceSchema.safeParse(resource).success).toBe(false);
    },
  );

  it('maps every resource to a valid subject token, never two resources to the same one', () => {
    const tricky = [
      'a:b',
      'a_b',
      'a_-b',
      'a__b',
      'a-b',
      'edge:x_y',
      'edge_x_y',
      'edge__x',
      'x'.repeat(32) + ':' + '_'.repeat(31),
    ];
    const ids = tricky.map(leaseAggregateId);
    expect(new Set(ids).size).toBe(tricky.length);
    for (const id of ids) expect(subjectToken(id, 'aggregate.id')).toBe(id);
    expect(leaseAggregateId('edge:paris-1')).toBe('edge_-paris-1');
  });

  it('recognises edge liveness leases by their prefix', () => {
    expect(edgeIdOfLeaseResource('edge:paris-1')).toBe('paris-1');
    expect(edgeIdOfLeaseResource('edges-lock')).toBeUndefined();
  });

  it('names the offending field of a bad acquire: unknown field, wrong type, TTL out of range', () => {
    const valid = { resource: 'edge:paris-1', holder: 'agent-1', ttlMs: 5000 };
    expect(parseWith(AcquireLease.data, valid)).toEqual(valid);
    expect(() => parseWith(AcquireLease.data, { ...valid, colour: 'red' })).toThrow(/colour: unknown field/);
    expect(() => parseWith(AcquireLease.data, { ...valid, ttlMs: '5000' })).toThrow(/ttlMs: /);
    expect(() => parseWith(AcquireLease.data, { ...valid, ttlMs: LEASE_TTL_MIN_MS - 1 })).toThrow(/ttlMs: /);
    expect(() => parseWith(AcquireLease.data, { ...valid, ttlMs: LEASE_TTL_MAX_MS + 1 })).toThrow(/ttlMs: /);
    expect(() => parseWith(AcquireLease.data, { ...valid, holder: 'two words' })).toThrow(/holder: /);
  });

  it('requires a positive integer fencing token to renew', () => {
    const valid = { resource: 'r', holder: 'h', fencingToken: 3 };
    expect(parseWith(RenewLease.data, valid)).toEqual(valid);
    expect(() => parseWith(RenewLease.data, { ...valid, fencingToken: 0 })).toThrow(/fencingToken: /);
    expect(() => parseWith(RenewLease.data, { ...valid, fencingToken: 1.5 })).toThrow(/fencingToken: /);
    expect(() => parseWith(RenewLease.data, { resource: 'r', holder: 'h' })).toThrow(/fencingToken: /);
  });
});
