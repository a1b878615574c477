import type { SubjectSpace } from '@kailash/contracts';
import {
  CoordClusterStatus,
  CoordDelete,
  CoordGet,
  CoordPut,
  CoordRange,
  CoordTxn,
  CoordWatch,
} from '@kailash/contracts';
import type { FuzzRoute } from '@kailash/testing';
import { natsFuzzRoute } from '@kailash/testing';
import fc from 'fast-check';

/** Keys the fuzz spec writes first, so generated requests also reach an existing key. */
export const FUZZ_SEEDS = { key: 'fz/key' } as const;

const key = fc.oneof(fc.constant(FUZZ_SEEDS.key), fc.stringMatching(/^[a-z0-9/_-]{1,16}$/));
const value = fc.string({ maxLength: 32 });
const op = fc.oneof(
  fc.record({ type: fc.constant('put'), key, value }),
  fc.record({ type: fc.constant('delete'), key }),
);
const compare = fc.record({
  key,
  target: fc.constantFrom('version', 'modRevision', 'createRevision'),
  op: fc.constantFrom('==', '!=', '<', '>'),
  value: fc.nat({ max: 1000 }),
});
const txn = fc.record({
  compare: fc.array(compare, { maxLength: 3 }),
  success: fc.array(op, { maxLength: 3 }),
  failure: fc.array(op, { maxLength: 3 }),
});

/**
 * Every REST route and NATS subject of coordination-svc with VALID input; the fuzz runner mixes in
 * the hostile rest. The membership admin routes are left out: a valid random membership change
 * would reshape the single-node cluster under test (they are exercised by the cluster test).
 */
export function fuzzRoutes(subjects: SubjectSpace): FuzzRoute[] {
  const nats = (definition: Parameters<typeof natsFuzzRoute>[1], data: fc.Arbitrary<unknown>) =>
    natsFuzzRoute(subjects, definition, data);
  return [
    { kind: 'rest', method: 'POST', path: '/kv/put', body: fc.record({ key, value }) },
    { kind: 'rest', method: 'POST', path: '/kv/delete', body: fc.record({ key }) },
    { kind: 'rest', method: 'POST', path: '/kv/txn', body: txn },
    { kind: 'rest', method: 'GET', path: '/kv/key/:key', params: { key: fc.constant('fz') } },
    { kind: 'rest', method: 'GET', path: '/kv' },
    { kind: 'rest', method: 'GET', path: '/cluster' },
    nats(CoordPut, fc.record({ key, value })),
    nats(CoordDelete, fc.record({ key })),
    nats(CoordTxn, txn),
    nats(CoordGet, fc.record({ key })),
    nats(CoordRange, fc.record({ prefix: fc.stringMatching(/^[a-z/]{0,4}$/) })),
    nats(CoordWatch, fc.record({ key, fromRevision: fc.nat({ max: 100 }) })),
    nats(CoordClusterStatus, fc.constant({})),
  ];
}
