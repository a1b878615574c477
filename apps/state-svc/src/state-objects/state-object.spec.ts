import type { EventDraft } from '@kailash/backbone';
import type { EventCatalog, StateObjectEvent } from '@kailash/contracts';
import { KailashError, STATE_OBJECT_LIMITS, stateEventCatalog } from '@kailash/contracts';
import fc from 'fast-check';
import { chooseOwner } from './owner-affinity';
import type { StateObject, StateObjectState } from './state-object';
import { evolve, initialState } from './state-object';
import type { StateObjectCommand, StateObjectOperation } from './state-object.decide';
import { decide } from './state-object.decide';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const at = (ms: number) => new Date(T0 + ms).toISOString();
const EDGES = ['paris-1', 'tokyo-1', 'ohio-1'];

const command = (
  operation: StateObjectOperation,
  extra: Partial<StateObjectCommand> = {},
): StateObjectCommand =>
  ({ ...operation, objectId: 'cart-1', now: at(0), activeEdges: EDGES, ...extra }) as StateObjectCommand;

/** Every draft is checked against its event schema, as the publisher would, before it is folded. */
const asEvent = (draft: EventDraft): StateObjectEvent =>
  ({
    type: draft.definition.type,
    data: (stateEventCatalog as EventCatalog).validateData(draft.definition, draft.data),
  }) as unknown as StateObjectEvent;

const apply = (state: StateObjectState, cmd: StateObjectCommand): StateObjectState =>
  decide(cmd, state).map(asEvent).reduce(evolve, state);
const given = (...commands: StateObjectCommand[]): StateObjectState => commands.reduce(apply, initialState());
const present = (state: StateObjectState): StateObject => {
  if (state.status !== 'present') throw new Error('expected a present object');
  return state;
};

const refusal = (run: () => unknown): KailashError => {
  try {
    run();
  } catch (error) {
    if (error instanceof KailashError) return error;
    throw error;
  }
  throw new Error('expected a KailashError');
};

const set = (key: string, value: unknown, extra: Partial<StateObjectCommand> = {}) =>
  command({ type: 'SetValue', key, value } as StateObjectOperation, extra);
const lock = (name: string, holder: string, ttlMs = 1000, now = 0) =>
  command({ type: 'Lock', lock: name, holder, ttlMs }, { now: at(now) });

describe('state object decider', () => {
  describe('creation and metadata', () => {
    it('given no object, when setting a key, then value-set carries the owner chosen among the active edges', () => {
      const [draft, ...rest] = decide(set('a', 1), initialState());
      expect(rest).toHaveLength(0);
      expect(draft?.definition.type).toBe('stateobj.value-set');
      expect(draft?.data).toEqual({
        objectId: 'cart-1',
        at: at(0),
        owner: chooseOwner('cart-1', EDGES),
        key: 'a',
        value: 1,
      });
    });

    it('given no active edge, when creating, then the object starts without an owner', () => {
      expect(present(given(set('a', 1, { activeEdges: [] }))).owner).toBeNull();
    });

    it('evolves creation, version and modification time', () => {
      const state = present(given(set('a', 1), set('b', 2, { now: at(5000) })));
      expect(state).toMatchObject({
        version: 2,
        createdAt: at(0),
        modifiedAt: at(5000),
        body: { a: 1, b: 2 },
        owner: chooseOwner('cart-1', EDGES),
      });
    });

    it('records the owner only on the creating event', () => {
      const second = decide(set('b', 2), given(set('a', 1)));
      expect(second[0]?.data).not.toHaveProperty('owner');
    });
  });

  describe('set and delete', () => {
    it('given a key, when setting it again, then the value is replaced', () => {
      expect(present(given(set('a', 1), set('a', { nested: [true] }))).body).toEqual({
        a: { nested: [true] },
      });
    });

    it('given a key, when deleting it, then key-deleted removes it', () => {
      const state = given(set('a', 1), set('b', 2));
      const drafts = decide(command({ type: 'DeleteKey', key: 'a' }), state);
      expect(drafts.map((d) => d.definition.type)).toEqual(['stateobj.key-deleted']);
      expect(present(drafts.map(asEvent).reduce(evolve, state)).body).toEqual({ b: 2 });
    });

    it.each([
      ['no object', initialState()],
      ['no such key', given(set('b', 2))],
      ['only an inherited property', given(set('b', 2))],
    ])('given %s, when deleting, then NOT_FOUND naming the key', (_case, state) => {
      const key = _case === 'only an inherited property' ? 'constructor' : 'a';
      const error = refusal(() => decide(command({ type: 'DeleteKey', key }), state));
      expect(error.code).toBe('NOT_FOUND');
      expect(error.message).toContain(`'${key}'`);
    });

    it('given an object at its key limit, when setting a new key, then CONFLICT; an existing key may still change', () => {
      const full = given(
        command({
          type: 'UpdateValues',
          expectedVersion: 0,
          values: Object.fromEntries(
            Array.from({ length: STATE_OBJECT_LIMITS.maxKeys }, (_, i) => [`k${i}`, i]),
          ),
        }),
      );
      expect(refusal(() => decide(set('one-more', 1), full)).code).toBe('CONFLICT');
      expect(decide(set('k0', 'changed'), full)).toHaveLength(1);
    });

    it('given a large object, when a write would pass the byte limit, then PAYLOAD_TOO_LARGE', () => {
      const big = 'x'.repeat(STATE_OBJECT_LIMITS.maxValueBytes - 100);
      const keys = Math.ceil(STATE_OBJECT_LIMITS.maxObjectBytes / big.length);
      const error = refusal(() =>
        Array.from({ length: keys }, (_, i) => set(`k${i}`, big)).reduce(apply, initialState()),
      );
      expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('update (compare-and-set on version)', () => {
    const update = (expectedVersion: number, values: Record<string, unknown>) =>
      command({ type: 'UpdateValues', expectedVersion, values } as StateObjectOperation);

    it('given version 2, when updating at version 2, then every key is written in one event', () => {
      const state = given(set('a', 1), set('b', 2));
      const drafts = decide(update(2, { a: 10, c: 30 }), state);
      expect(drafts).toHaveLength(1);
      expect(present(drafts.map(asEvent).reduce(evolve, state))).toMatchObject({
        version: 3,
        body: { a: 10, b: 2, c: 30 },
      });
    });

    it('given no object, when updating at version 0, then it is created', () => {
      expect(present(given(update(0, { a: 1 }))).body).toEqual({ a: 1 });
    });

    it.each([
      [1, given(set('a', 1), set('b', 2)), 2],
      [3, given(set('a', 1), set('b', 2)), 2],
      [1, initialState(), 0],
    ])(
      'when updating at version %i of an object at another version, then PRECONDITION_FAILED with the actual version',
      (expected, state, actual) => {
        const error = refusal(() => decide(update(expected, { a: 1 }), state));
        expect(error.code).toBe('PRECONDITION_FAILED');
        expect(error.details).toMatchObject({ expectedVersion: expected, actualVersion: actual });
      },
    );
  });

  describe('increment', () => {
    const increment = (key: string, by = 1) => command({ type: 'Increment', key, by });

    it('given no key, when incrementing, then it counts from 0 and the event carries step and result', () => {
      const drafts = decide(increment('n', 5), initialState());
      expect(drafts[0]?.data).toMatchObject({ key: 'n', by: 5, value: 5 });
      expect(present(given(increment('n', 5), increment('n', -2), increment('n', 0.5))).body).toEqual({
        n: 3.5,
      });
    });

    it.each([
      ['a string', 'seven'],
      ['a list', [1]],
      ['null', null],
      ['an object', { n: 1 }],
    ])('given a key holding %s, when incrementing, then CONFLICT saying what it holds', (holds, value) => {
      const error = refusal(() => decide(increment('n'), given(set('n', value))));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain(`holds ${holds}, not a number`);
    });

    it('given the largest number, when incrementing past it, then CONFLICT (no Infinity stored)', () => {
      expect(
        refusal(() => decide(increment('n', Number.MAX_VALUE), given(set('n', Number.MAX_VALUE)))).message,
      ).toMatch(/exact range/);
    });

    it('given 2^53 - 1, when incrementing by 1, then CONFLICT: a count past 2^53 would be rounded', () => {
      const error = refusal(() => decide(increment('n', 1), given(set('n', Number.MAX_SAFE_INTEGER))));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toMatch(/exact range/);
    });
  });

  describe('append', () => {
    const append = (key: string, item: unknown) =>
      command({ type: 'Append', key, item } as StateObjectOperation);

    it('given no key, when appending, then a list starts; later items follow in order', () => {
      expect(present(given(append('log', 'a'), append('log', { b: 1 }))).body).toEqual({
        log: ['a', { b: 1 }],
      });
    });

    it('given a key holding a number, when appending, then CONFLICT', () => {
      const error = refusal(() => decide(append('n', 1), given(set('n', 3))));
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain('holds a number, not a list');
    });

    it('given a list near the value limit, when appending past it, then PAYLOAD_TOO_LARGE', () => {
      const state = given(set('log', ['x'.repeat(STATE_OBJECT_LIMITS.maxValueBytes - 20)]));
      expect(refusal(() => decide(append('log', 'y'.repeat(50)), state)).code).toBe('PAYLOAD_TOO_LARGE');
    });
  });

  describe('locks and fencing tokens', () => {
    it('given no lock, when locking, then lock-acquired with token 1 and an expiry ttl from now', () => {
      const drafts = decide(lock('l', 'worker-a', 1500), initialState());
      expect(drafts[0]?.data).toMatchObject({ lock: 'l', holder: 'worker-a', token: 1, expiresAt: at(1500) });
    });

    it('given a held lock, when another holder locks it before expiry, then CONFLICT naming the holder', () => {
      const error = refusal(() =>
        decide(lock('l', 'worker-b', 1000, 999), given(lock('l', 'worker-a', 1000))),
      );
      expect(error.code).toBe('CONFLICT');
      expect(error.message).toContain("held by 'worker-a'");
      expect(error.details).toMatchObject({ holder: 'worker-a', expiresAt: at(1000) });
    });

    it('given a held lock, when its own holder locks again, then a new grant whose token fences the old one', () => {
      const state = given(lock('l', 'worker-a'), lock('l', 'worker-a', 1000, 10));
      expect(present(state).locks['l']).toEqual({ holder: 'worker-a', token: 2, expiresAt: at(1010) });
      const stale = refusal(() =>
        decide(set('a', 1, { fence: { lock: 'l', token: 1 }, now: at(20) }), state),
      );
      expect(stale.details).toMatchObject({ reason: 'stale-token', token: 1 });
    });

    it('given an expired lock, when another holder locks, then it is granted with a larger token', () => {
      const state = present(given(lock('l', 'worker-a', 1000), lock('l', 'worker-b', 1000, 1000)));
      expect(state.locks['l']).toEqual({ holder: 'worker-b', token: 2, expiresAt: at(2000) });
    });

    it('counts tokens per object across lock names', () => {
      const state = present(given(lock('a', 'w'), lock('b', 'w'), lock('c', 'w')));
      expect(Object.values(state.locks).map((l) => l.token)).toEqual([1, 2, 3]);
    });

    it('given a held lock, when its holder unlocks with its token, then lock-released and the next grant is token 2', () => {
      const held = given(lock('l', 'worker-a'));
      const released = apply(held, command({ type: 'Unlock', lock: 'l', holder: 'worker-a', token: 1 }));
      expect(present(released).locks).toEqual({});
      expect(decide(lock('l', 'worker-b', 1000, 10), released)[0]?.data).toMatchObject({ token: 2 });
    });

    it.each([
      ['another holder', 'worker-b', 1],
      ['a wrong token', 'worker-a', 7],
    ])(
      'given a held lock, when unlocking with %s, then CONFLICT and the lock stays',
      (_case, holder, token) => {
        const held = given(lock('l', 'worker-a'));
        const error = refusal(() => decide(command({ type: 'Unlock', lock: 'l', holder, token }), held));
        expect(error.code).toBe('CONFLICT');
        expect(present(held).locks['l']?.holder).toBe('worker-a');
      },
    );

    it('given no such lock, when unlocking, then CONFLICT: not held', () => {
      const error = refusal(() =>
        decide(command({ type: 'Unlock', lock: 'l', holder: 'w', token: 1 }), given(set('a', 1))),
      );
      expect(error).toMatchObject({
        code: 'CONFLICT',
        message: "lock 'l' of state object 'cart-1' is not held (vacant)",
        details: { objectId: 'cart-1', lock: 'l', reason: 'not-held', status: 'vacant' },
      });
    });

    it('given a lapsed lock nobody took since, when its holder unlocks, then CONFLICT: it expired', () => {
      const held = given(lock('l', 'worker-a', 1000));
      const late = command({ type: 'Unlock', lock: 'l', holder: 'worker-a', token: 1 }, { now: at(1000) });
      expect(refusal(() => decide(late, held)).details).toEqual({
        objectId: 'cart-1',
        lock: 'l',
        reason: 'expired',
        expiresAt: at(1000),
      });
    });

    it('given an object at its lock limit, when taking one more live lock, then CONFLICT; expired ones are dropped on a grant', () => {
      const names = Array.from({ length: STATE_OBJECT_LIMITS.maxLocks }, (_, i) => `l${i}`);
      const full = names.map((name) => lock(name, 'w', 1000)).reduce(apply, initialState());
      expect(refusal(() => decide(lock('extra', 'w', 1000, 10), full)).code).toBe('CONFLICT');
      const later = present(apply(full, lock('extra', 'w', 1000, 5000)));
      expect(Object.keys(later.locks)).toEqual(['extra']);
      expect(later.locks['extra']?.token).toBe(STATE_OBJECT_LIMITS.maxLocks + 1);
    });

    it('property: tokens granted on one object strictly increase, whatever the interleaving of locks, unlocks and expiries', () => {
      const step = fc.record({
        kind: fc.constantFrom('lock', 'unlock'),
        name: fc.constantFrom('a', 'b'),
        holder: fc.constantFrom('w1', 'w2', 'w3'),
        advanceMs: fc.integer({ min: 0, max: 1500 }),
      });
      fc.assert(
        fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
          let state = initialState();
          let now = 0;
          const granted: number[] = [];
          const holders = new Map<string, { holder: string; token: number; until: number }>();
          for (const s of steps) {
            now += s.advanceMs;
            const held = holders.get(s.name);
            const cmd =
              s.kind === 'lock'
                ? lock(s.name, s.holder, 1000, now)
                : command(
                    {
                      type: 'Unlock',
                      lock: s.name,
                      holder: held?.holder ?? s.holder,
                      token: held?.token ?? 1,
                    },
                    { now: at(now) },
                  );
            try {
              const events = decide(cmd, state).map(asEvent);
              for (const event of events) {
                if (event.type === 'stateobj.lock-acquired') {
                  // Never two live holders of one lock: a grant only when the previous one lapsed, was
                  // released, or is its own holder's (which the new token fences off).
                  if (held && held.until > now && held.holder !== s.holder) return false;
                  granted.push(event.data.token);
                  holders.set(s.name, { holder: s.holder, token: event.data.token, until: now + 1000 });
                }
                if (event.type === 'stateobj.lock-released') holders.delete(s.name);
              }
              state = events.reduce(evolve, state);
            } catch (error) {
              if (!(error instanceof KailashError)) throw error;
            }
          }
          return granted.every((token, i) => i === 0 || token > (granted[i - 1] ?? 0));
        }),
        { seed: 20261126, numRuns: 300 },
      );
    });
  });

  describe('fenced writes', () => {
    const fenced = (token: number, now = 10) => set('a', 1, { fence: { lock: 'l', token }, now: at(now) });

    it('given a held lock, when writing with its token, then the write goes through', () => {
      expect(decide(fenced(1), given(lock('l', 'w')))).toHaveLength(1);
    });

    it.each([
      [
        'a stale token after a re-grant',
        given(lock('l', 'w1'), lock('l', 'w2', 1000, 1500)),
        1,
        1600,
        'stale-token',
      ],
      ['an expired lock', given(lock('l', 'w1')), 1, 1000, 'expired'],
      ['no lock at all', initialState(), 1, 10, 'not-held'],
      ['a token never granted', given(lock('l', 'w1')), 2, 10, 'stale-token'],
    ])('given %s, when writing fenced, then CONFLICT', (_case, state, token, now, reason) => {
      const error = refusal(() => decide(fenced(token, now), state));
      expect(error.code).toBe('CONFLICT');
      expect(error.details).toMatchObject({ objectId: 'cart-1', lock: 'l', reason });
      expect(error.details).not.toHaveProperty('current');
    });
  });

  describe('ownership transfer', () => {
    const owned = (owner: string) => given(set('a', 1, { activeEdges: [owner] }));
    const transfer = (from: string | null, activeEdges: string[]) =>
      command({ type: 'TransferOwnership', from, reason: 'edge drained' }, { activeEdges });

    it('given an object on a departed edge, when transferring, then owner-changed to the rendezvous choice of the rest', () => {
      const state = owned('gone-1');
      const drafts = decide(transfer('gone-1', EDGES), state);
      expect(drafts[0]?.data).toMatchObject({
        from: 'gone-1',
        to: chooseOwner('cart-1', EDGES),
        reason: 'edge drained',
      });
      expect(present(drafts.map(asEvent).reduce(evolve, state))).toMatchObject({
        owner: chooseOwner('cart-1', EDGES),
        version: 2,
        body: { a: 1 },
      });
    });

    it('given the object already moved, when the same transfer runs again, then nothing happens', () => {
      expect(decide(transfer('gone-1', EDGES), given(set('a', 1)))).toEqual([]);
    });

    it('given an owner that is still active, when a stale transfer arrives, then nothing happens', () => {
      expect(decide(transfer('paris-1', EDGES), owned('paris-1'))).toEqual([]);
    });

    it('given an orphan, when an edge is active, then it gets that owner; with none, nothing happens', () => {
      const orphan = given(set('a', 1, { activeEdges: [] }));
      expect(decide(transfer(null, ['tokyo-1']), orphan)[0]?.data).toMatchObject({
        from: null,
        to: 'tokyo-1',
      });
      expect(decide(transfer(null, []), orphan)).toEqual([]);
    });

    it('given no object, when transferring, then nothing happens', () => {
      expect(decide(transfer('gone-1', EDGES), initialState())).toEqual([]);
    });
  });
});
