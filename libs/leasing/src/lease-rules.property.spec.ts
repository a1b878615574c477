import fc from 'fast-check';
import type { EpochMs } from './epoch-ms';
import type { Grant, LeaseState } from './lease-state';
import { liveGrant, vacant } from './lease-state';
import { acquire, checkFence, expire, release, renew } from './lease-rules';
import type { Decision, Refusal } from './refusal';

const SEED = 20_261_201;
const T0 = Date.parse('2026-12-01T08:00:00.000Z');

// ── Operations: every caller picks a holder from a few, and a token near the current one ─────

type TokenPick = 'current' | number;
type Op =
  | { readonly kind: 'acquire'; readonly holder: string; readonly ttlMs: number }
  | { readonly kind: 'renew'; readonly holder: string; readonly token: TokenPick; readonly ttlMs: number }
  | { readonly kind: 'release'; readonly holder: string; readonly token: TokenPick }
  | { readonly kind: 'expire' }
  | { readonly kind: 'fence'; readonly token: TokenPick }
  /** Another resource sharing this one's token counter was granted (all locks of one state object). */
  | { readonly kind: 'shared-grant' };
type Step = { readonly advanceMs: number; readonly op: Op };

const holderArb = fc.constantFrom('a', 'b', 'c');
const tokenArb: fc.Arbitrary<TokenPick> = fc.oneof(
  fc.constant('current' as const),
  fc.integer({ min: 1, max: 12 }),
);
// Round values as well as random ones, so deadlines and clock readings often coincide exactly.
const ttlArb = fc.oneof(fc.constantFrom(500, 1_000), fc.integer({ min: 1, max: 2_000 }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('acquire' as const), holder: holderArb, ttlMs: ttlArb }),
  fc.record({ kind: fc.constant('renew' as const), holder: holderArb, token: tokenArb, ttlMs: ttlArb }),
  fc.record({ kind: fc.constant('release' as const), holder: holderArb, token: tokenArb }),
  fc.record({ kind: fc.constant('expire' as const) }),
  fc.record({ kind: fc.constant('fence' as const), token: tokenArb }),
  fc.record({ kind: fc.constant('shared-grant' as const) }),
);
// Time never goes back within one caller (the HLC wall time does not); often it stands still.
const stepsArb = fc.array(
  fc.record({
    advanceMs: fc.oneof(fc.constantFrom(0, 500, 1_000), fc.integer({ min: 0, max: 2_500 })),
    op: opArb,
  }),
  { maxLength: 40 },
);

/** What one step of the rules did, in terms a reference model can reproduce. */
type Outcome =
  | { readonly ok: true; readonly grant?: Grant; readonly expired?: Grant }
  | { readonly ok: false; readonly refusal: Refusal };

const tokenOf = (pick: TokenPick, state: LeaseState): number =>
  pick === 'current' ? (state.status === 'vacant' ? 1 : state.grant.token) : pick;

function applyRules(state: LeaseState, op: Op, now: EpochMs): { state: LeaseState; outcome: Outcome } {
  const settle = <T extends { state: LeaseState }>(decision: Decision<T>, outcome: (value: T) => Outcome) =>
    decision.ok ? { state: decision.state, outcome: outcome(decision) } : { state, outcome: decision };
  switch (op.kind) {
    case 'acquire':
      return settle(acquire(state, op, now), (d) => ({
        ok: true,
        grant: d.granted,
        ...(d.expired ? { expired: d.expired } : {}),
      }));
    case 'renew':
      return settle(renew(state, { ...op, token: tokenOf(op.token, state) }, now), (d) => ({
        ok: true,
        grant: d.renewed,
      }));
    case 'release':
      return settle(release(state, { ...op, token: tokenOf(op.token, state) }, now), (d) => ({
        ok: true,
        grant: d.released,
      }));
    case 'expire': {
      const result = expire(state, now);
      return {
        state: result.state,
        outcome: { ok: true, ...(result.expired ? { expired: result.expired } : {}) },
      };
    }
    case 'fence': {
      const decision = checkFence(state, tokenOf(op.token, state), now);
      return { state, outcome: decision.ok ? { ok: true, grant: decision.grant } : decision };
    }
    case 'shared-grant':
      return { state: { ...state, lastToken: state.lastToken + 1 }, outcome: { ok: true } };
  }
}

// ── A reference model: a log of every grant, each with how and when it ended ───────────────────

interface LoggedGrant {
  holder: string;
  token: number;
  grantedAt: number;
  expiresAt: number;
  ended?: { how: 'released' | 'expired' | 'superseded'; at: number };
}

class ReferenceModel {
  readonly log: LoggedGrant[] = [];
  private sharedGrants = 0;

  /** Tokens are simply "how many grants so far", here or on the resources sharing the counter. */
  step(op: Op, now: number, tokenPicked: number): Outcome {
    if (op.kind === 'shared-grant') {
      this.sharedGrants++;
      return { ok: true };
    }
    const open = this.log.find((g) => !g.ended);
    const lapsed = open !== undefined && open.expiresAt <= now;
    if (op.kind === 'expire') {
      if (!open || !lapsed) return { ok: true };
      open.ended = { how: 'expired', at: now };
      return { ok: true, expired: snapshot(open) };
    }
    if (op.kind === 'acquire') {
      if (open && !lapsed && open.holder !== op.holder)
        return refuse({ reason: 'held', holder: open.holder, expiresAt: open.expiresAt });
      let expired: Grant | undefined;
      if (open) {
        open.ended = { how: lapsed ? 'expired' : 'superseded', at: now };
        if (lapsed) expired = snapshot(open);
      }
      const grant = {
        holder: op.holder,
        token: this.log.length + this.sharedGrants + 1,
        grantedAt: now,
        expiresAt: now + op.ttlMs,
      };
      this.log.push(grant);
      return { ok: true, grant: snapshot(grant), ...(expired ? { expired } : {}) };
    }
    if (!open) {
      const last = this.log.at(-1);
      const status = last === undefined ? 'vacant' : last.ended?.how === 'released' ? 'released' : 'expired';
      return refuse({ reason: 'not-held', status });
    }
    if (lapsed) return refuse({ reason: 'expired', expiresAt: open.expiresAt });
    if (op.kind !== 'fence' && open.holder !== op.holder)
      return refuse({ reason: 'held', holder: open.holder, expiresAt: open.expiresAt });
    if (open.token !== tokenPicked) return refuse({ reason: 'stale-token', token: tokenPicked });
    if (op.kind === 'renew') open.expiresAt = now + op.ttlMs;
    if (op.kind === 'release') open.ended = { how: 'released', at: now };
    return { ok: true, grant: snapshot(open) };
  }
}

const snapshot = (g: LoggedGrant): Grant => ({ holder: g.holder, token: g.token, expiresAt: g.expiresAt });
const refuse = (refusal: Refusal): Outcome => ({ ok: false, refusal });

/** Runs the steps through the rules (and the model), recording every state and outcome. */
function run(steps: readonly Step[]) {
  const model = new ReferenceModel();
  let state: LeaseState = vacant();
  let now = T0;
  const trace: {
    now: number;
    op: Op;
    before: LeaseState;
    after: LeaseState;
    outcome: Outcome;
    expected: Outcome;
  }[] = [];
  for (const { advanceMs, op } of steps) {
    now += advanceMs;
    const before = state;
    const picked = 'token' in op ? tokenOf(op.token, before) : 0;
    const result = applyRules(before, op, now);
    state = result.state;
    trace.push({
      now,
      op,
      before,
      after: state,
      outcome: result.outcome,
      expected: model.step(op, now, picked),
    });
  }
  return { trace, model, state, now };
}

describe('lease rules (property-based, fixed seed)', () => {
  it('agree with a reference model on every outcome: grant, refusal reason and details', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        for (const { outcome, expected } of run(steps).trace) expect(outcome).toEqual(expected);
      }),
      { seed: SEED, numRuns: 1_000 },
    );
  });

  it('hand out strictly increasing tokens, never one twice, across releases, expiries and re-acquires', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { trace, state } = run(steps);
        const grants = trace.flatMap((t) =>
          t.op.kind === 'acquire' && t.outcome.ok && t.outcome.grant
            ? [{ before: t.before, token: t.outcome.grant.token }]
            : [],
        );
        // Greater than every token given out before on the counter, this resource's or a sharer's.
        for (const { before, token } of grants) expect(token).toBeGreaterThan(before.lastToken);
        for (let i = 1; i < grants.length; i++)
          expect(grants[i]?.token).toBeGreaterThan(grants[i - 1]?.token as number);
        expect(state.lastToken).toBeGreaterThanOrEqual(grants.at(-1)?.token ?? 0);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('let at most one grant be live at any instant: the live intervals of all grants are disjoint', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const { model, now } = run(steps);
        const intervals = model.log.map((g) => ({
          from: g.grantedAt,
          to: Math.min(g.expiresAt, g.ended?.at ?? Infinity),
        }));
        for (let i = 1; i < intervals.length; i++) {
          expect(intervals[i]?.from).toBeGreaterThanOrEqual(intervals[i - 1]?.to as number);
        }
        // And the rules' own view agrees at the end: one live grant at most, the model's open one.
        const open = model.log.find((g) => !g.ended && g.expiresAt > now);
        expect(liveGrant(run(steps).state, now)?.token).toBe(open?.token);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('always refuse a token that is not the live grant’s: renew, release and fenced writes alike', () => {
    fc.assert(
      fc.property(stepsArb, fc.integer({ min: 1, max: 50 }), holderArb, (steps, token, holder) => {
        const { state, now } = run(steps);
        const live = liveGrant(state, now);
        fc.pre(live === undefined || live.token !== token);
        expect(checkFence(state, token, now).ok).toBe(false);
        expect(renew(state, { holder, token, ttlMs: 1_000 }, now).ok).toBe(false);
        expect(release(state, { holder, token }, now).ok).toBe(false);
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('expire is idempotent: a second expiry, now or later, records nothing and changes nothing', () => {
    fc.assert(
      fc.property(stepsArb, fc.integer({ min: 0, max: 5_000 }), (steps, laterMs) => {
        const { state, now } = run(steps);
        const once = expire(state, now);
        const twice = expire(once.state, now);
        expect(twice.expired).toBeUndefined();
        expect(twice.state).toBe(once.state);
        if (once.expired) expect(expire(once.state, now + laterMs).expired).toBeUndefined();
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuse to renew or release a grant past its deadline, whether or not its expiry was recorded', () => {
    fc.assert(
      fc.property(stepsArb, fc.integer({ min: 0, max: 5_000 }), fc.boolean(), (steps, lateMs, recorded) => {
        const { state } = run(steps);
        fc.pre(state.status === 'held');
        if (state.status !== 'held') return;
        const { grant } = state;
        const late = grant.expiresAt + lateMs;
        const at = recorded ? expire(state, late).state : state;
        const request = { holder: grant.holder, token: grant.token };
        const renewal = renew(at, { ...request, ttlMs: 1_000 }, late);
        const releasing = release(at, request, late);
        const expected = recorded
          ? { reason: 'not-held', status: 'expired' }
          : { reason: 'expired', expiresAt: grant.expiresAt };
        expect(renewal).toEqual({ ok: false, refusal: expected });
        expect(releasing).toEqual({ ok: false, refusal: expected });
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('refuse a release by anyone but the live grant’s holder, even with the right token', () => {
    fc.assert(
      fc.property(stepsArb, holderArb, (steps, holder) => {
        const { state, now } = run(steps);
        const live = liveGrant(state, now);
        fc.pre(live !== undefined && live.holder !== holder);
        if (!live) return;
        expect(release(state, { holder, token: live.token }, now)).toEqual({
          ok: false,
          refusal: { reason: 'held', holder: live.holder, expiresAt: live.expiresAt },
        });
      }),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('never change the state when they refuse', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        for (const t of run(steps).trace) if (!t.outcome.ok) expect(t.after).toBe(t.before);
      }),
      { seed: SEED, numRuns: 300 },
    );
  });
});
