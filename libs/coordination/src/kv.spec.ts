import type { Compare } from './commands';
import { get, range } from './queries';
import { Scenario } from './test/scenario';

describe('KV with revisions, given / when / then', () => {
  describe('put', () => {
    it('creates a key at the next revision with version 1', () => {
      const s = new Scenario();
      expect(s.ok({ op: 'put', key: 'a', value: '1' }).revision).toBe(1);
      expect(get(s.state, 'a')).toEqual({
        key: 'a',
        value: '1',
        createRevision: 1,
        modRevision: 1,
        version: 1,
        lease: 0,
      });
    });

    it('keeps the create revision, moves the mod revision and counts versions on overwrite', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      s.ok({ op: 'put', key: 'b', value: 'x' });
      const answer = s.ok({ op: 'put', key: 'a', value: '2', prevKv: true });
      expect(answer.revision).toBe(3);
      expect(answer.prevKv).toMatchObject({ value: '1', modRevision: 1, version: 1 });
      expect(get(s.state, 'a')).toMatchObject({ value: '2', createRevision: 1, modRevision: 3, version: 2 });
    });

    it('returns no prevKv unless asked', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      expect(s.ok({ op: 'put', key: 'a', value: '2' })).not.toHaveProperty('prevKv');
    });

    it('restarts version and create revision after a delete', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      s.ok({ op: 'put', key: 'a', value: '2' });
      s.ok({ op: 'delete', range: { key: 'a' } });
      s.ok({ op: 'put', key: 'a', value: '3' });
      expect(get(s.state, 'a')).toMatchObject({ createRevision: 4, modRevision: 4, version: 1 });
    });

    it('refuses a key under the reserved prefix and changes nothing', () => {
      const s = new Scenario();
      const refused = s.refused({ op: 'put', key: '_coord/lock/x/1', value: '' });
      expect(refused.error).toMatchObject({ code: 'VALIDATION_FAILED', reason: 'reserved-key' });
      expect(refused.revision).toBe(0);
      expect(s.machine.revision).toBe(0);
    });

    it('refuses a lease that does not exist', () => {
      const s = new Scenario();
      const refused = s.refused({ op: 'put', key: 'a', value: '1', lease: 9 });
      expect(refused.error).toMatchObject({
        code: 'NOT_FOUND',
        reason: 'lease-not-found',
        details: { lease: 9 },
      });
      expect(get(s.state, 'a')).toBeUndefined();
    });
  });

  describe('delete', () => {
    const seeded = () => {
      const s = new Scenario();
      for (const key of ['a', 'app/1', 'app/2', 'apple', 'b']) s.ok({ op: 'put', key, value: key });
      return s;
    };

    it('deletes one key at one new revision, returning the old kv on request', () => {
      const s = seeded();
      const answer = s.ok({ op: 'delete', range: { key: 'a' }, prevKv: true });
      expect(answer).toMatchObject({ revision: 6, deleted: 1, prevKvs: [{ key: 'a', value: 'a' }] });
      expect(get(s.state, 'a')).toBeUndefined();
    });

    it('deletes a prefix in one revision', () => {
      const s = seeded();
      const answer = s.ok({ op: 'delete', range: { prefix: 'app/' } });
      expect(answer).toMatchObject({ revision: 6, deleted: 2 });
      expect(range(s.state, { range: { prefix: '' } }).kvs.map((kv) => kv.key)).toEqual(['a', 'apple', 'b']);
    });

    it('deletes a half-open range [from, to)', () => {
      const s = seeded();
      expect(s.ok({ op: 'delete', range: { from: 'app', to: 'b' } }).deleted).toBe(3);
      expect(range(s.state, { range: { prefix: '' } }).kvs.map((kv) => kv.key)).toEqual(['a', 'b']);
    });

    it('does not move the revision when nothing matched', () => {
      const s = seeded();
      expect(s.ok({ op: 'delete', range: { key: 'zzz' } })).toMatchObject({ revision: 5, deleted: 0 });
      expect(s.machine.revision).toBe(5);
    });
  });

  describe('range', () => {
    it('returns keys in order with a limit, the full count and whether more remain', () => {
      const s = new Scenario();
      for (const key of ['c', 'a', 'b', 'd']) s.ok({ op: 'put', key, value: key.toUpperCase() });
      const answer = s.ok({ op: 'range', range: { prefix: '' }, limit: 2 });
      expect(answer.kvs.map((kv) => kv.key)).toEqual(['a', 'b']);
      expect(answer).toMatchObject({ count: 4, more: true, revision: 4 });
    });

    it('answers keys only, or a count only', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: 'long value' });
      expect(s.ok({ op: 'range', range: { key: 'a' }, keysOnly: true }).kvs[0]?.value).toBe('');
      expect(s.ok({ op: 'range', range: { prefix: 'a' }, countOnly: true })).toMatchObject({
        kvs: [],
        count: 1,
        more: false,
      });
    });

    it('does not move the revision', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      s.ok({ op: 'range', range: { prefix: '' } });
      expect(s.machine.revision).toBe(1);
    });
  });

  describe('compare-and-set', () => {
    it('creates a key only if absent (expected mod revision 0)', () => {
      const s = new Scenario();
      expect(s.ok({ op: 'cas', key: 'a', value: '1', expectedModRevision: 0 }).succeeded).toBe(true);
      const second = s.ok({ op: 'cas', key: 'a', value: '2', expectedModRevision: 0 });
      expect(second).toMatchObject({
        succeeded: false,
        revision: 1,
        current: { value: '1', modRevision: 1 },
      });
    });

    it('swaps on the expected mod revision and value, and refuses a stale one', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      expect(
        s.ok({ op: 'cas', key: 'a', value: '2', expectedModRevision: 1, expectedValue: '1' }),
      ).toMatchObject({
        succeeded: true,
        revision: 2,
        current: { value: '2', modRevision: 2, version: 2 },
      });
      expect(s.ok({ op: 'cas', key: 'a', value: '3', expectedModRevision: 1 }).succeeded).toBe(false);
      expect(s.ok({ op: 'cas', key: 'a', value: '3', expectedValue: 'nope' }).succeeded).toBe(false);
      expect(get(s.state, 'a')?.value).toBe('2');
      expect(s.machine.revision).toBe(2);
    });
  });

  describe('txn', () => {
    it('runs the success branch when every compare holds, all writes at one revision', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      const answer = s.ok({
        op: 'txn',
        compare: [
          { key: 'a', target: 'version', op: '=', value: 1 },
          { key: 'a', target: 'value', op: '=', value: '1' },
          { key: 'missing', target: 'createRevision', op: '=', value: 0 },
        ],
        success: [
          { op: 'put', key: 'b', value: '2' },
          { op: 'put', key: 'c', value: '3' },
          { op: 'range', range: { prefix: '' } },
        ],
        failure: [{ op: 'put', key: 'failed', value: 'x' }],
      });
      expect(answer).toMatchObject({ succeeded: true, revision: 2 });
      expect(answer.responses[2]).toMatchObject({ op: 'range', count: 3 });
      expect(get(s.state, 'b')?.modRevision).toBe(2);
      expect(get(s.state, 'c')?.modRevision).toBe(2);
      expect(get(s.state, 'failed')).toBeUndefined();
    });

    it('runs the failure branch when a compare fails', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      const answer = s.ok({
        op: 'txn',
        compare: [{ key: 'a', target: 'modRevision', op: '>', value: 1 }],
        success: [{ op: 'delete', range: { key: 'a' } }],
        failure: [
          { op: 'range', range: { key: 'a' } },
          { op: 'delete', range: { key: 'a' }, prevKv: true },
        ],
      });
      expect(answer).toMatchObject({ succeeded: false, revision: 2 });
      expect(answer.responses).toEqual([
        expect.objectContaining({ op: 'range', count: 1 }),
        expect.objectContaining({ op: 'delete', deleted: 1 }),
      ]);
    });

    it('compares a missing key as version and revisions 0, and its value never', () => {
      const s = new Scenario();
      const compare = (c: Compare) => holdsFor(s, c);
      expect(compare({ key: 'x', target: 'version', op: '=', value: 0 })).toBe(true);
      expect(compare({ key: 'x', target: 'modRevision', op: '<', value: 1 })).toBe(true);
      expect(compare({ key: 'x', target: 'lease', op: '=', value: 0 })).toBe(true);
      expect(compare({ key: 'x', target: 'value', op: '=', value: '' })).toBe(false);
      expect(compare({ key: 'x', target: 'value', op: '!=', value: 'y' })).toBe(false);
    });

    it('compares values and numbers with each operator', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'k', value: 'm' });
      s.ok({ op: 'put', key: 'k', value: 'm' });
      const cases: [Compare, boolean][] = [
        [{ key: 'k', target: 'value', op: '<', value: 'n' }, true],
        [{ key: 'k', target: 'value', op: '>', value: 'n' }, false],
        [{ key: 'k', target: 'value', op: '!=', value: 'n' }, true],
        [{ key: 'k', target: 'version', op: '>', value: 1 }, true],
        [{ key: 'k', target: 'version', op: '!=', value: 2 }, false],
        [{ key: 'k', target: 'createRevision', op: '=', value: 1 }, true],
        [{ key: 'k', target: 'modRevision', op: '=', value: 2 }, true],
      ];
      for (const [compare, expected] of cases)
        expect([compare, holdsFor(s, compare)]).toEqual([compare, expected]);
    });

    it('refuses a branch that writes one key twice, changing nothing', () => {
      const s = new Scenario();
      const refused = s.refused({
        op: 'txn',
        compare: [],
        success: [
          { op: 'put', key: 'a', value: '1' },
          { op: 'delete', range: { prefix: 'a' } },
        ],
        failure: [],
      });
      expect(refused.error).toMatchObject({ reason: 'duplicate-key', details: { key: 'a' } });
      expect(s.machine.revision).toBe(0);
    });

    it('refuses the chosen branch when a put names a missing lease, changing nothing', () => {
      const s = new Scenario();
      const refused = s.refused({
        op: 'txn',
        compare: [],
        success: [
          { op: 'put', key: 'a', value: '1' },
          { op: 'put', key: 'b', value: '1', lease: 5 },
        ],
        failure: [],
      });
      expect(refused.error.reason).toBe('lease-not-found');
      expect(get(s.state, 'a')).toBeUndefined();
    });

    it('does not move the revision when the chosen branch only reads', () => {
      const s = new Scenario();
      s.ok({ op: 'put', key: 'a', value: '1' });
      const answer = s.ok({
        op: 'txn',
        compare: [],
        success: [{ op: 'range', range: { key: 'a' } }],
        failure: [],
      });
      expect(answer.revision).toBe(1);
    });
  });
});

/** Whether one compare holds, seen through a txn with empty branches. */
function holdsFor(s: Scenario, compare: Compare): boolean {
  return s.ok({ op: 'txn', compare: [compare], success: [], failure: [] }).succeeded;
}
