import fc from 'fast-check';
import type { KvInput, KvOutput, Operation } from '../sim/kv-clients';
import { checkLinearizable } from './checker';
import { kvModel } from './kv-model';

const INF = Number.POSITIVE_INFINITY;
function op(
  clientId: number,
  input: KvInput,
  output: KvOutput | undefined,
  call: number,
  ret: number,
): Operation {
  return { clientId, input, output, call, ret };
}
const put = (key: string, value: string): KvInput => ({ op: 'put', key, value });
const get = (key: string): KvInput => ({ op: 'get', key });
const cas = (key: string, expected: string | null, value: string): KvInput => ({
  op: 'cas',
  key,
  expected,
  value,
});

function isLinearizable(history: Operation[]): boolean | 'unknown' {
  return checkLinearizable(kvModel, history).linearizable;
}

describe('linearizability checker (KV: get, put, compare-and-set)', () => {
  describe('rejects known non-linearizable histories', () => {
    it('stale read after a completed write', () => {
      expect(isLinearizable([op(0, put('x', '1'), {}, 0, 1), op(1, get('x'), { value: null }, 2, 3)])).toBe(
        false,
      );
    });

    it('read of a value nobody wrote', () => {
      expect(isLinearizable([op(0, put('x', '1'), {}, 0, 5), op(1, get('x'), { value: '2' }, 1, 2)])).toBe(
        false,
      );
    });

    it('two concurrent CAS from the same expected value both succeed', () => {
      expect(
        isLinearizable([
          op(0, put('x', '0'), {}, 0, 1),
          op(1, cas('x', '0', 'a'), { ok: true }, 2, 5),
          op(2, cas('x', '0', 'b'), { ok: true }, 3, 6),
        ]),
      ).toBe(false);
    });

    it('reads going back in time while a write is in flight', () => {
      expect(
        isLinearizable([
          op(0, put('x', '1'), {}, 0, 10),
          op(1, get('x'), { value: '1' }, 1, 2),
          op(2, get('x'), { value: null }, 3, 4),
        ]),
      ).toBe(false);
    });

    it('a failed CAS whose expected value was current', () => {
      expect(
        isLinearizable([op(0, put('x', '0'), {}, 0, 1), op(1, cas('x', '0', '1'), { ok: false }, 2, 3)]),
      ).toBe(false);
    });

    it('lost update: an acknowledged write is not visible to a later read', () => {
      expect(
        isLinearizable([
          op(0, put('x', '1'), {}, 0, 1),
          op(1, put('x', '2'), {}, 2, 3),
          op(2, get('x'), { value: '1' }, 4, 5),
        ]),
      ).toBe(false);
    });

    it('violation on one key is found even when other keys are fine', () => {
      const history = [
        op(0, put('y', '1'), {}, 0, 1),
        op(1, get('y'), { value: '1' }, 2, 3),
        op(2, put('x', '1'), {}, 0, 1),
        op(3, get('x'), { value: null }, 4, 5),
      ];
      const result = checkLinearizable(kvModel, history);
      expect(result.linearizable).toBe(false);
      if (result.linearizable === false)
        expect(result.partition.every((o) => o.input.key === 'x')).toBe(true);
    });
  });

  describe('accepts linearizable histories', () => {
    it('a read concurrent with a write may see either value', () => {
      for (const seen of [null, '1']) {
        expect(
          isLinearizable([op(0, put('x', '1'), {}, 0, 10), op(1, get('x'), { value: seen }, 1, 2)]),
        ).toBe(true);
      }
    });

    it('a write whose outcome is unknown may or may not have happened', () => {
      const pending = op(0, put('x', '1'), undefined, 0, INF);
      expect(isLinearizable([pending, op(1, get('x'), { value: null }, 5, 6)])).toBe(true);
      expect(isLinearizable([pending, op(1, get('x'), { value: '1' }, 5, 6)])).toBe(true);
      // ...but not both orders at once.
      expect(
        isLinearizable([
          pending,
          op(1, get('x'), { value: '1' }, 5, 6),
          op(2, get('x'), { value: null }, 7, 8),
        ]),
      ).toBe(false);
    });

    it('CAS chain', () => {
      expect(
        isLinearizable([
          op(0, cas('x', null, 'a'), { ok: true }, 0, 1),
          op(1, cas('x', 'a', 'b'), { ok: true }, 2, 3),
          op(0, cas('x', 'a', 'c'), { ok: false }, 4, 5),
          op(1, get('x'), { value: 'b' }, 6, 7),
        ]),
      ).toBe(true);
    });
  });

  it('property: any history produced by a sequential KV with overlapping intervals is linearizable', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            kind: fc.constantFrom('get', 'put', 'cas'),
            key: fc.constantFrom('a', 'b'),
            before: fc.nat(3),
            after: fc.nat(3),
          }),
          { maxLength: 40 },
        ),
        (script) => {
          // Execute sequentially at points 10, 20, 30, ...; widen each interval around its point.
          const store = new Map<string, string>();
          const history = script.map((step, i) => {
            const point = (i + 1) * 10;
            const current = store.get(step.key) ?? null;
            let input: KvInput;
            let output: KvOutput;
            if (step.kind === 'get') {
              input = get(step.key);
              output = { value: current };
            } else if (step.kind === 'put') {
              input = put(step.key, `v${i}`);
              store.set(step.key, `v${i}`);
              output = {};
            } else {
              input = cas(step.key, current, `v${i}`);
              store.set(step.key, `v${i}`);
              output = { ok: true };
            }
            return op(i, input, output, point - 1 - step.before * 4, point + 1 + step.after * 4);
          });
          return isLinearizable(history) === true;
        },
      ),
      { numRuns: 200 },
    );
  });

  it('property: corrupting one read to a never-written value is always caught', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('get', 'put'), { minLength: 2, maxLength: 30 }),
        fc.nat(),
        (kinds, pick) => {
          let current: string | null = null;
          const history = kinds.map((kind, i) => {
            if (kind === 'put') {
              current = `v${i}`;
              return op(0, put('x', current), {}, i * 10, i * 10 + 5);
            }
            return op(0, get('x'), { value: current }, i * 10, i * 10 + 5);
          });
          history.push(
            op(
              1,
              get('x'),
              { value: 'never-written' },
              (kinds.length + (pick % 3)) * 10,
              (kinds.length + 5) * 10,
            ),
          );
          return isLinearizable(history) === false;
        },
      ),
      { numRuns: 200 },
    );
  });
});
