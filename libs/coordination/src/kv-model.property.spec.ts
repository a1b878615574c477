import fc from 'fast-check';
import type { Command, Compare, KeyRange, TxnOp } from './commands';
import { range as rangeQuery } from './queries';
import type { KeyValue } from './responses';
import { CoordinationStateMachine } from './state-machine';
import { T0 } from './test/scenario';

/**
 * The KV commands against a reference model written the plainest way (a Map and etcd's rules as
 * prose): same answers, same keys, same revision, for random sequences of put / delete / cas / txn.
 */

const SEED = 20_261_202;

type Model = { revision: number; keys: Map<string, KeyValue> };

const matches = (range: KeyRange, key: string): boolean =>
  'key' in range
    ? key === range.key
    : 'prefix' in range
      ? key.startsWith(range.prefix)
      : key >= range.from && (range.to === undefined || key < range.to);

function modelApply(model: Model, command: Command): unknown {
  const next = model.revision + 1;
  let wrote = false;
  const put = (key: string, value: string): KeyValue | undefined => {
    const old = model.keys.get(key);
    model.keys.set(key, {
      key,
      value,
      createRevision: old ? old.createRevision : next,
      modRevision: next,
      version: old ? old.version + 1 : 1,
      lease: 0,
    });
    wrote = true;
    return old;
  };
  const del = (range: KeyRange): KeyValue[] => {
    const gone = [...model.keys.values()]
      .filter((kv) => matches(range, kv.key))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    for (const kv of gone) model.keys.delete(kv.key);
    if (gone.length > 0) wrote = true;
    return gone;
  };
  const read = (range: KeyRange, limit?: number) => {
    const all = [...model.keys.values()]
      .filter((kv) => matches(range, kv.key))
      .sort((a, b) => (a.key < b.key ? -1 : 1));
    const kvs = limit === undefined ? all : all.slice(0, limit);
    return { kvs, count: all.length, more: all.length > kvs.length };
  };
  const finish = (result: object) => {
    if (wrote) model.revision = next;
    return { ok: true, revision: model.revision, ...result };
  };
  switch (command.op) {
    case 'put':
      put(command.key, command.value);
      return finish({});
    case 'delete':
      return finish({ deleted: del(command.range).length });
    case 'cas': {
      const old = model.keys.get(command.key);
      const ok =
        (command.expectedModRevision === undefined ||
          (old?.modRevision ?? 0) === command.expectedModRevision) &&
        (command.expectedValue === undefined || old?.value === command.expectedValue);
      if (ok) put(command.key, command.value);
      return finish({ succeeded: ok, current: model.keys.get(command.key) });
    }
    case 'txn': {
      const succeeded = command.compare.every((c) => holds(model, c));
      const responses = (succeeded ? command.success : command.failure).map((op: TxnOp) =>
        op.op === 'put'
          ? (put(op.key, op.value), { op: 'put' })
          : op.op === 'delete'
            ? { op: 'delete', deleted: del(op.range).length }
            : { op: 'range', ...read(op.range, op.limit) },
      );
      return finish({ succeeded, responses });
    }
    default:
      throw new Error(`not modelled: ${command.op}`);
  }
}

function holds(model: Model, c: Compare): boolean {
  const kv = model.keys.get(c.key);
  if (c.target === 'value' && !kv) return false;
  const actual = c.target === 'value' ? (kv as KeyValue).value : kv ? kv[c.target] : 0;
  const expected = c.value;
  return c.op === '='
    ? actual === expected
    : c.op === '!='
      ? actual !== expected
      : c.op === '<'
        ? actual < expected
        : actual > expected;
}

/** The machine's answer in the model's terms (the model does not track prevKv, keysOnly, …). */
function comparable(command: Command, response: Record<string, unknown>): unknown {
  const { op: _op, ...rest } = response;
  if (command.op === 'cas')
    return { ok: rest.ok, revision: rest.revision, succeeded: rest.succeeded, current: rest.current };
  return rest;
}

const keyArb = fc.constantFrom('a', 'ab', 'b', 'b/1', 'b/2', 'c');
const valueArb = fc.constantFrom('', '1', '2');
const rangeArb: fc.Arbitrary<KeyRange> = fc.oneof(
  keyArb.map((key) => ({ key })),
  fc.constantFrom('', 'a', 'b/').map((prefix) => ({ prefix })),
  fc.record({ from: fc.constantFrom('a', 'b'), to: fc.constantFrom('b/2', 'c') }),
);
const putOpArb = fc.record({ op: fc.constant('put' as const), key: keyArb, value: valueArb });
const deleteOpArb = fc.record({ op: fc.constant('delete' as const), range: rangeArb });
const rangeOpArb = fc.record({
  op: fc.constant('range' as const),
  range: rangeArb,
  limit: fc.integer({ min: 1, max: 3 }),
});
const compareArb: fc.Arbitrary<Compare> = fc.oneof(
  fc.record({
    key: keyArb,
    target: fc.constantFrom('version' as const, 'createRevision' as const, 'modRevision' as const),
    op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const),
    value: fc.integer({ min: 0, max: 5 }),
  }),
  fc.record({
    key: keyArb,
    target: fc.constant('value' as const),
    op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const),
    value: valueArb,
  }),
);
const commandArb: fc.Arbitrary<Command> = fc.oneof(
  putOpArb,
  deleteOpArb,
  fc.record({
    op: fc.constant('cas' as const),
    key: keyArb,
    value: valueArb,
    expectedModRevision: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ op: fc.constant('cas' as const), key: keyArb, value: valueArb, expectedValue: valueArb }),
  fc.record({
    op: fc.constant('txn' as const),
    compare: fc.array(compareArb, { maxLength: 2 }),
    // etcd refuses a branch that writes one key twice: puts of distinct keys then a read, or deletes and reads.
    success: fc
      .tuple(
        fc.uniqueArray(putOpArb, { selector: (op) => op.key, maxLength: 3 }),
        fc.array(rangeOpArb, { maxLength: 1 }),
      )
      .map(([puts, reads]): TxnOp[] => [...puts, ...reads]),
    failure: fc.array(fc.oneof(deleteOpArb, rangeOpArb), { maxLength: 2 }),
  }),
);

describe('KV commands against a reference model (fast-check, fixed seed)', () => {
  it('give the model answers, keys and revision', () => {
    fc.assert(
      fc.property(fc.array(commandArb, { minLength: 1, maxLength: 40 }), (commands) => {
        const machine = new CoordinationStateMachine();
        const model: Model = { revision: 0, keys: new Map() };
        commands.forEach((command, at) => {
          const expected = modelApply(model, command);
          const { response } = machine.apply(at + 1, { now: T0, command });
          expect(comparable(command, response as unknown as Record<string, unknown>)).toEqual(expected);
        });
        expect(rangeQuery(machine.state, { range: { prefix: '' } }).kvs).toEqual(
          [...model.keys.values()].sort((a, b) => (a.key < b.key ? -1 : 1)),
        );
        expect(machine.revision).toBe(model.revision);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
