import { KailashError } from '@kailash/contracts';
import { epochMsOf, isoOf } from './epoch-ms';
import type { LeaseState } from './lease-state';
import { vacant } from './lease-state';
import { acquire, checkFence, expire, release, renew } from './lease-rules';
import type { LeaseTarget } from './refusal';
import { orThrow, refusalError } from './refusal';

const T0 = Date.parse('2026-11-26T10:00:00.000Z');
const target: LeaseTarget = { label: "the lease on 'build-cache'", details: { resource: 'build-cache' } };

function held(holder = 'a', ttlMs = 10_000): LeaseState {
  return orThrow(acquire(vacant(), { holder, ttlMs }, T0), target).state;
}

function thrown(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('lease rules, by example', () => {
  it('grants token 1 to the first acquire, with the deadline ttl ahead', () => {
    expect(acquire(vacant(), { holder: 'a', ttlMs: 5_000 }, T0)).toEqual({
      ok: true,
      state: { status: 'held', lastToken: 1, grant: { holder: 'a', token: 1, expiresAt: T0 + 5_000 } },
      granted: { holder: 'a', token: 1, expiresAt: T0 + 5_000 },
    });
  });

  it('continues a shared counter: the next token is lastToken + 1 whatever the grant held', () => {
    const decision = orThrow(acquire(vacant(41), { holder: 'a', ttlMs: 1 }, T0), target);
    expect(decision.granted.token).toBe(42);
  });

  it('ends a lapsed grant when someone acquires, and reports it so its expiry is recorded first', () => {
    const decision = orThrow(acquire(held('a'), { holder: 'b', ttlMs: 1_000 }, T0 + 10_000), target);
    expect(decision.expired).toEqual({ holder: 'a', token: 1, expiresAt: T0 + 10_000 });
    expect(decision.granted).toEqual({ holder: 'b', token: 2, expiresAt: T0 + 11_000 });
  });

  it('gives the current holder a new grant on acquire, fencing its earlier process off', () => {
    const again = orThrow(acquire(held('a'), { holder: 'a', ttlMs: 1_000 }, T0 + 1), target);
    expect(again.granted.token).toBe(2);
    expect(again.expired).toBeUndefined();
    expect(checkFence(again.state, 1, T0 + 2)).toEqual({
      ok: false,
      refusal: { reason: 'stale-token', token: 1 },
    });
  });

  it('renews to now + ttl and keeps the token; releases to released with the time it ended', () => {
    const renewed = orThrow(renew(held(), { holder: 'a', token: 1, ttlMs: 30_000 }, T0 + 4_000), target);
    expect(renewed.renewed).toEqual({ holder: 'a', token: 1, expiresAt: T0 + 34_000 });
    const released = orThrow(release(renewed.state, { holder: 'a', token: 1 }, T0 + 5_000), target);
    expect(released.state).toEqual({
      status: 'released',
      lastToken: 1,
      grant: renewed.renewed,
      endedAt: T0 + 5_000,
    });
  });

  it('expires at the deadline exactly, not a millisecond before', () => {
    expect(expire(held(), T0 + 9_999).expired).toBeUndefined();
    expect(expire(held(), T0 + 10_000).state).toMatchObject({ status: 'expired', endedAt: T0 + 10_000 });
  });

  it('maps every refusal to CONFLICT with the reason, the target and ISO times, never the current token', () => {
    const state = held('ci-1');
    const cases: [() => unknown, string, Record<string, unknown>][] = [
      [
        () => orThrow(acquire(state, { holder: 'ci-2', ttlMs: 1 }, T0), target),
        "the lease on 'build-cache' is held by 'ci-1' until 2026-11-26T10:00:10.000Z",
        { resource: 'build-cache', reason: 'held', holder: 'ci-1', expiresAt: '2026-11-26T10:00:10.000Z' },
      ],
      [
        () => orThrow(renew(vacant(), { holder: 'ci-1', token: 1, ttlMs: 1 }, T0), target),
        "the lease on 'build-cache' is not held (vacant)",
        { resource: 'build-cache', reason: 'not-held', status: 'vacant' },
      ],
      [
        () => orThrow(release(state, { holder: 'ci-1', token: 1 }, T0 + 10_000), target),
        "the lease on 'build-cache' expired at 2026-11-26T10:00:10.000Z",
        { resource: 'build-cache', reason: 'expired', expiresAt: '2026-11-26T10:00:10.000Z' },
      ],
      [
        () => orThrow(renew(state, { holder: 'ci-1', token: 7, ttlMs: 1 }, T0), target),
        "the lease on 'build-cache': fencing token 7 is stale",
        { resource: 'build-cache', reason: 'stale-token', token: 7 },
      ],
      [
        () => orThrow(acquire(vacant(Number.MAX_SAFE_INTEGER), { holder: 'x', ttlMs: 1 }, T0), target),
        `the lease on 'build-cache' has used up its fencing tokens (the last was ${Number.MAX_SAFE_INTEGER})`,
        { resource: 'build-cache', reason: 'tokens-exhausted', lastToken: Number.MAX_SAFE_INTEGER },
      ],
    ];
    for (const [action, message, details] of cases) {
      const error = thrown(action);
      expect(error).toBeInstanceOf(KailashError);
      expect(error).toMatchObject({ code: 'CONFLICT', message, details });
      expect((error as KailashError).details).toEqual(details);
    }
  });

  it('refuses a caller that skipped validation with a RangeError naming the value', () => {
    expect(() => acquire(vacant(), { holder: 'a', ttlMs: 0 }, T0)).toThrow(
      /ttlMs must be a positive integer/,
    );
    expect(() => acquire(vacant(), { holder: 'a', ttlMs: 1.5 }, T0)).toThrow(RangeError);
    expect(() => acquire(vacant(), { holder: '', ttlMs: 1 }, T0)).toThrow(/holder/);
    expect(() => expire(vacant(), Number.NaN)).toThrow(/now must be epoch milliseconds/);
    expect(() => checkFence(vacant(), 1, -1)).toThrow(RangeError);
  });

  it('converts between epoch ms and the ISO strings wire formats carry, exactly', () => {
    expect(isoOf(T0 + 7)).toBe('2026-11-26T10:00:00.007Z');
    expect(epochMsOf('2026-11-26T10:00:00.007Z')).toBe(T0 + 7);
    expect(() => epochMsOf('yesterday')).toThrow(/not an ISO-8601 instant/);
    expect(refusalError({ reason: 'expired', expiresAt: T0 }, target).message).toContain(
      '2026-11-26T10:00:00.000Z',
    );
  });
});
