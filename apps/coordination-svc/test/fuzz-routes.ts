import type { SubjectSpace } from '@kailash/contracts';
import {
  CoordClusterStatus,
  CoordLeaderHistory,
  CoordLeaseHistory,
  CoordLockHistory,
} from '@kailash/contracts';
import {
  CoordCas,
  CoordDelete,
  CoordGet,
  CoordLeaseGrant,
  CoordLockOwner,
  CoordPut,
  CoordRange,
  CoordTxn,
  CoordWatch,
  leaderSubjectOf,
} from '@kailash/coordination-client';
import type { FuzzRoute } from '@kailash/testing';
import { natsFuzzRoute } from '@kailash/testing';
import fc from 'fast-check';

/** Keys the fuzz spec writes first, so generated requests also reach an existing key. */
export const FUZZ_SEEDS = { key: 'fz/key' } as const;

const key = fc.oneof(fc.constant(FUZZ_SEEDS.key), fc.stringMatching(/^[a-z0-9/_-]{1,16}$/));
const value = fc.string({ maxLength: 32 });
const range = fc.oneof(fc.record({ key }), fc.record({ prefix: fc.stringMatching(/^[a-z/]{0,4}$/) }));
const op = fc.oneof(
  fc.record({ op: fc.constant('put'), key, value }),
  fc.record({ op: fc.constant('delete'), range }),
);
const compare = fc.record({
  key,
  target: fc.constantFrom('version', 'modRevision', 'createRevision'),
  op: fc.constantFrom('=', '!=', '<', '>'),
  value: fc.nat({ max: 1000 }),
});
const txn = fc.record({
  compare: fc.array(compare, { maxLength: 3 }),
  success: fc.array(op, { maxLength: 3 }),
  failure: fc.array(op, { maxLength: 3 }),
});

const cursor = fc.tuple(fc.nat({ max: 500 }), fc.nat({ max: 3 })).map(([i, p]) => `${i}-${p}`);
const page = {
  limit: fc.integer({ min: 1, max: 1000 }),
  order: fc.constantFrom('asc', 'desc'),
  after: cursor,
};
const historyQuery = (extra: Record<string, fc.Arbitrary<string>> = {}) =>
  fc.record(
    { limit: page.limit.map(String), order: page.order, after: page.after, ...extra },
    { requiredKeys: [] },
  );

/**
 * Every REST route and NATS subject of coordination-svc with VALID input; the fuzz runner mixes in
 * the hostile rest. Membership admin is left out: a valid random membership change would reshape
 * the one-replica group under test (the cluster test exercises it).
 */
export function fuzzRoutes(subjects: SubjectSpace): FuzzRoute[] {
  const nats = (definition: Parameters<typeof natsFuzzRoute>[1], data: fc.Arbitrary<unknown>) =>
    natsFuzzRoute(subjects, definition, data);
  // The same command on the leader's own subject (the one-replica group under test leads).
  const atLeader = (definition: Parameters<typeof natsFuzzRoute>[1], data: fc.Arbitrary<unknown>) => {
    const route = natsFuzzRoute(subjects, definition, data);
    return { ...route, subject: leaderSubjectOf(route.subject, definition) };
  };
  return [
    { kind: 'rest', method: 'POST', path: '/kv/put', body: fc.record({ key, value }) },
    { kind: 'rest', method: 'POST', path: '/kv/delete', body: fc.record({ range }) },
    { kind: 'rest', method: 'POST', path: '/kv/txn', body: txn },
    {
      kind: 'rest',
      method: 'POST',
      path: '/kv/cas',
      body: fc.record({ key, value, expectedModRevision: fc.nat({ max: 50 }) }),
    },
    {
      kind: 'rest',
      method: 'POST',
      path: '/leases/grant',
      body: fc.record({ ttlMs: fc.integer({ min: 1000, max: 60_000 }) }),
    },
    { kind: 'rest', method: 'GET', path: '/kv/key/:key', params: { key: fc.constant('fz') } },
    { kind: 'rest', method: 'GET', path: '/kv' },
    { kind: 'rest', method: 'GET', path: '/cluster' },
    { kind: 'rest', method: 'GET', path: '/history/leaders', query: historyQuery() },
    { kind: 'rest', method: 'GET', path: '/history/gaps', query: historyQuery() },
    {
      kind: 'rest',
      method: 'GET',
      path: '/history/leases',
      query: historyQuery({
        leaseId: fc.integer({ min: 1, max: 99 }).map(String),
        type: fc.constantFrom('granted', 'revoked', 'expired'),
      }),
    },
    {
      kind: 'rest',
      method: 'GET',
      path: '/history/locks',
      query: historyQuery({
        name: fc.stringMatching(/^[a-z]{1,8}$/),
        type: fc.constantFrom('acquired', 'released'),
      }),
    },
    nats(CoordPut, fc.record({ key, value })),
    nats(CoordDelete, fc.record({ range })),
    nats(CoordTxn, txn),
    nats(CoordCas, fc.record({ key, value, expectedModRevision: fc.nat({ max: 50 }) })),
    nats(CoordLeaseGrant, fc.record({ ttlMs: fc.integer({ min: 1000, max: 60_000 }) })),
    nats(CoordGet, fc.record({ key })),
    nats(CoordRange, fc.record({ range })),
    nats(CoordWatch, fc.record({ range, fromRevision: fc.nat({ max: 100 }) })),
    nats(CoordLockOwner, fc.record({ name: fc.stringMatching(/^[a-z]{1,8}$/) })),
    nats(CoordClusterStatus, fc.constant({})),
    nats(CoordLeaderHistory, fc.record(page, { requiredKeys: [] })),
    nats(
      CoordLeaseHistory,
      fc.record({ ...page, leaseId: fc.integer({ min: 1, max: 99 }) }, { requiredKeys: [] }),
    ),
    nats(
      CoordLockHistory,
      fc.record({ ...page, name: fc.stringMatching(/^[a-z]{1,8}$/) }, { requiredKeys: [] }),
    ),
    atLeader(CoordPut, fc.record({ key, value })),
    atLeader(CoordTxn, txn),
    atLeader(CoordLeaseGrant, fc.record({ ttlMs: fc.integer({ min: 1000, max: 60_000 }) })),
  ];
}
