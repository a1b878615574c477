import fc from 'fast-check';
import type { Command, KeyRange, Proposal } from './commands';
import { commandSchema, proposalSchema } from './commands';
import { decodeProposal, encodeProposal } from './codec';
import { dueLeases, lockOwner } from './queries';
import type { Applied } from './state-machine';
import { CoordinationStateMachine } from './state-machine';
import type { KeyValue } from './responses';
import { factSchema, responseSchema, watchEventSchema } from './responses';
import { T0 } from './test/scenario';

const SEED = 20_261_201;
const RUNS = 150;

// ── Random command sequences over a few keys, leases, names and sessions ───────────────────────

const keyArb = fc.constantFrom('a', 'b', 'app/1', 'app/2', 'z');
const valueArb = fc.constantFrom('', 'x', 'y', 'long-ish value');
const leaseArb = fc.integer({ min: 1, max: 4 });
const nameArb = fc.constantFrom('jobs', 'primary');
const rangeArb: fc.Arbitrary<KeyRange> = fc.oneof(
  keyArb.map((key) => ({ key })),
  fc.constantFrom('', 'app/', 'a').map((prefix) => ({ prefix })),
  fc.record({ from: fc.constantFrom('a', 'app/'), to: fc.constantFrom('b', 'z') }),
);
/** Absent three times in four. */
const optional = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof({ weight: 3, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

const putArb = fc
  .record({
    op: fc.constant('put' as const),
    key: keyArb,
    value: valueArb,
    lease: optional(leaseArb),
    prevKv: optional(fc.boolean()),
  })
  .map(withoutUndefined);
const deleteArb = fc
  .record({ op: fc.constant('delete' as const), range: rangeArb, prevKv: optional(fc.boolean()) })
  .map(withoutUndefined);
const txnRangeArb = fc
  .record({
    op: fc.constant('range' as const),
    range: rangeArb,
    limit: optional(fc.integer({ min: 1, max: 3 })),
  })
  .map(withoutUndefined);
const compareArb = fc.oneof(
  fc.record({
    key: keyArb,
    target: fc.constantFrom(
      'version' as const,
      'createRevision' as const,
      'modRevision' as const,
      'lease' as const,
    ),
    op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const),
    value: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({
    key: keyArb,
    target: fc.constant('value' as const),
    op: fc.constantFrom('=' as const, '!=' as const, '<' as const, '>' as const),
    value: valueArb,
  }),
);
const txnOps = fc.array(fc.oneof(putArb, deleteArb, txnRangeArb), { maxLength: 3 });

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 5, arbitrary: putArb },
  { weight: 2, arbitrary: deleteArb },
  { weight: 1, arbitrary: txnRangeArb },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('txn' as const),
      compare: fc.array(compareArb, { maxLength: 2 }),
      success: txnOps,
      failure: txnOps,
    }),
  },
  {
    weight: 2,
    arbitrary: fc
      .record({
        op: fc.constant('cas' as const),
        key: keyArb,
        value: valueArb,
        expectedModRevision: optional(fc.integer({ min: 0, max: 8 })),
        expectedValue: optional(valueArb),
        fence: optional(leaseArb.map((lease) => ({ lease }))),
      })
      .map(withoutUndefined),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('compact' as const), revision: fc.integer({ min: 0, max: 12 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('lease.grant' as const),
      ttlMs: fc.constantFrom(1_000, 3_000, 10_000),
    }),
  },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('lease.keepalive' as const), id: leaseArb }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('lease.revoke' as const), id: leaseArb }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: fc.constant('lock.acquire' as const), name: nameArb, lease: leaseArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('lock.release' as const), name: nameArb, lease: leaseArb }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('election.campaign' as const),
      name: nameArb,
      lease: leaseArb,
      value: valueArb,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      op: fc.constant('election.proclaim' as const),
      name: nameArb,
      lease: leaseArb,
      value: valueArb,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('election.resign' as const), name: nameArb, lease: leaseArb }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('session.open' as const), ttlMs: fc.constantFrom(2_000, 10_000) }),
  },
);

/** A step: time moves, then the leader proposes a command (possibly stamped, possibly a retry), expires leases, or skips. */
type Step =
  | { kind: 'command'; advanceMs: number; command: Command; stamp: 'none' | 'next' | 'retry' | 'stale' }
  | { kind: 'expire'; advanceMs: number }
  | { kind: 'skip'; advanceMs: number };
// Mostly small steps, so leases live long enough to carry keys, locks and candidates; sometimes
// deadlines and clock readings coincide exactly.
const advanceArb = fc.oneof(
  { weight: 4, arbitrary: fc.constant(0) },
  { weight: 3, arbitrary: fc.constantFrom(100, 500, 1_000) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 4_000 }) },
);
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      kind: fc.constant('command' as const),
      advanceMs: advanceArb,
      command: commandArb,
      stamp: fc.constantFrom(
        'none' as const,
        'next' as const,
        'next' as const,
        'retry' as const,
        'stale' as const,
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('expire' as const), advanceMs: advanceArb }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('skip' as const), advanceMs: advanceArb }) },
);
const stepsArb = fc.array(stepArb, { minLength: 10, maxLength: 80 });

type Input = { index: number; proposal?: Proposal };

/**
 * Turns steps into the entries a leader would have committed: expiry with the ids `dueLeases` finds
 * at the leader's clock, session stamps with the newest session's next (or an earlier) sequence.
 */
function materialize(steps: readonly Step[], historyLimit: number): Input[] {
  const leader = new CoordinationStateMachine({ historyLimit });
  const inputs: Input[] = [];
  const sent = new Map<number, number>();
  let now = T0;
  steps.forEach((step, at) => {
    const index = at + 1;
    now += step.advanceMs;
    if (step.kind === 'skip') {
      leader.skip(index);
      inputs.push({ index });
      return;
    }
    let proposal: Proposal;
    if (step.kind === 'expire') {
      const ids = dueLeases(leader.state, now);
      proposal =
        ids.length > 0
          ? { now, command: { op: 'lease.expire', ids } }
          : { now, command: { op: 'range', range: { prefix: '' } } };
    } else {
      proposal = { now, command: step.command, ...stampFor(leader, sent, step.stamp) };
    }
    leader.apply(index, proposal);
    inputs.push({ index, proposal });
  });
  return inputs;
}

function stampFor(
  leader: CoordinationStateMachine,
  sent: Map<number, number>,
  pick: string,
): Pick<Proposal, 'session'> {
  const clientId = [...leader.state.sessions.keys()].at(-1);
  if (pick === 'none' || clientId === undefined) return {};
  const last = sent.get(clientId) ?? 0;
  if (pick === 'next' || last === 0) {
    sent.set(clientId, last + 1);
    return { session: { clientId, seq: last + 1, ...(last % 3 === 2 ? { ack: last } : {}) } };
  }
  return { session: { clientId, seq: pick === 'retry' ? last : Math.max(1, last - 2) } };
}

function applyAll(machine: CoordinationStateMachine, inputs: readonly Input[]): Applied[] {
  const applied: Applied[] = [];
  for (const { index, proposal } of inputs) {
    if (proposal) applied.push(machine.applyEntry(index, encodeProposal(proposal)));
    else machine.skip(index);
  }
  return applied;
}

const params = { seed: SEED, numRuns: RUNS };
const scenarioArb = fc.record({ steps: stepsArb, historyLimit: fc.constantFrom(4, 16, 10_000) });

describe('the state machine under random command sequences (fast-check, fixed seed)', () => {
  it('is deterministic: the same entries give the same answers, events, facts and snapshot bytes', () => {
    fc.assert(
      fc.property(scenarioArb, ({ steps, historyLimit }) => {
        const inputs = materialize(steps, historyLimit);
        const one = new CoordinationStateMachine({ historyLimit });
        const two = new CoordinationStateMachine({ historyLimit });
        expect(applyAll(one, inputs)).toEqual(applyAll(two, inputs));
        expect(Buffer.from(one.snapshot()).equals(Buffer.from(two.snapshot()))).toBe(true);
      }),
      params,
    );
  });

  it('snapshot → restore at any point, then the rest, equals replaying everything', () => {
    fc.assert(
      fc.property(scenarioArb, fc.nat(), ({ steps, historyLimit }, cutPick) => {
        const inputs = materialize(steps, historyLimit);
        const cut = cutPick % (inputs.length + 1);
        const replayed = new CoordinationStateMachine({ historyLimit });
        const replayAnswers = applyAll(replayed, inputs);

        const before = new CoordinationStateMachine({ historyLimit });
        applyAll(before, inputs.slice(0, cut));
        const restored = CoordinationStateMachine.fromSnapshot(before.snapshot(), { historyLimit });
        expect(Buffer.from(restored.snapshot()).equals(Buffer.from(before.snapshot()))).toBe(true);
        const restoredAnswers = applyAll(restored, inputs.slice(cut));

        expect(restoredAnswers).toEqual(replayAnswers.slice(replayAnswers.length - restoredAnswers.length));
        expect(Buffer.from(restored.snapshot()).equals(Buffer.from(replayed.snapshot()))).toBe(true);
      }),
      params,
    );
  });

  it('answers, events and facts always match their published schemas', () => {
    fc.assert(
      fc.property(scenarioArb, ({ steps, historyLimit }) => {
        const inputs = materialize(steps, historyLimit);
        for (const applied of applyAll(new CoordinationStateMachine({ historyLimit }), inputs)) {
          const { response } = applied;
          expect(response.op).not.toBe('invalid');
          if (response.op === 'invalid') continue;
          expectParses(responseSchema(response.op), response);
          for (const event of applied.events) expectParses(watchEventSchema, event);
          for (const fact of applied.facts) expectParses(factSchema, fact);
        }
        for (const { proposal } of inputs) if (proposal) expectParses(proposalSchema, proposal);
      }),
      params,
    );
  });

  it('keeps the store consistent: events replay to the keys, revisions and leases agree, lock facts track owners', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const inputs = materialize(steps, 10_000);
        const machine = new CoordinationStateMachine();
        const replayedKeys = new Map<string, KeyValue>();
        const ownerFromFacts = new Map<string, string>();
        let revision = 0;
        inputs.forEach((input) => {
          const [applied] = applyAll(machine, [input]);
          if (!applied) return;
          if (applied.events.length > 0 && !applied.duplicate) revision += 1;
          for (const event of applied.events) {
            expect(event.revision).toBe(revision);
            if (event.type === 'PUT') replayedKeys.set(event.kv.key, event.kv);
            else replayedKeys.delete(event.kv.key);
          }
          for (const fact of applied.facts) {
            if (fact.type === 'lock.acquired') ownerFromFacts.set(fact.owner.name, fact.owner.key);
            if (fact.type === 'lock.released' && ownerFromFacts.get(fact.owner.name) === fact.owner.key) {
              ownerFromFacts.delete(fact.owner.name);
            }
          }
          expect(machine.revision).toBe(revision);
        });
        const state = machine.state;
        const stored = [...state.keys.entriesFrom('')].map(([key, s]) => ({ key, ...s }));
        expect(stored).toEqual([...replayedKeys.values()].sort((x, y) => (x.key < y.key ? -1 : 1)));
        for (const kv of stored) {
          expect(kv.createRevision).toBeLessThanOrEqual(kv.modRevision);
          expect(kv.modRevision).toBeLessThanOrEqual(state.revision);
          if (kv.lease !== 0) expect(state.leases.get(kv.lease)?.keys.has(kv.key)).toBe(true);
        }
        for (const lease of state.leases.values()) {
          for (const key of lease.keys) expect(state.keys.get(key)?.lease).toBe(lease.id);
        }
        for (const name of ['jobs', 'primary'])
          expect(ownerFromFacts.get(name)).toBe(lockOwner(state, name)?.key);
      }),
      params,
    );
  });

  it('reaches every kind of outcome across the runs (so the properties above are not vacuous)', () => {
    const seen = new Set<string>();
    for (const { steps, historyLimit } of fc.sample(scenarioArb, { seed: SEED, numRuns: RUNS })) {
      for (const applied of applyAll(
        new CoordinationStateMachine({ historyLimit }),
        materialize(steps, historyLimit),
      )) {
        const { response } = applied;
        seen.add(response.ok ? `ok ${response.op}` : `refused ${response.error.reason}`);
        if (applied.duplicate) seen.add('duplicate');
        if ('succeeded' in response && response.succeeded) seen.add(`${response.op} succeeded`);
        for (const fact of applied.facts) seen.add(fact.type);
      }
    }
    const expected = [
      'ok put',
      'ok delete',
      'ok txn',
      'ok cas',
      'ok compact',
      'ok lease.keepalive',
      'ok lease.revoke',
      'ok lease.expire',
      'ok lock.acquire',
      'ok election.campaign',
      'ok election.proclaim',
      'ok election.resign',
      'txn succeeded',
      'cas succeeded',
      'duplicate',
      'lock.acquired',
      'lock.released',
      'election.leader',
      'election.vacant',
      'lease.expired',
      'lease.revoked',
      'session.closed',
      'refused lease-not-found',
      'refused expired',
      'refused compacted',
      'refused stale-sequence',
      'refused not-leader',
      'refused duplicate-key',
    ];
    expect(expected.filter((outcome) => !seen.has(outcome))).toEqual([]);
  });

  it('decodes every encoded proposal to itself', () => {
    fc.assert(
      fc.property(commandArb, fc.integer({ min: 0, max: 2 ** 45 }), (command, now) => {
        const proposal: Proposal = { now, command: commandSchema.parse(command) };
        expect(decodeProposal(encodeProposal(proposal))).toEqual({ ok: true, proposal });
      }),
      params,
    );
  });
});

function expectParses(
  schema: { safeParse(value: unknown): { success: boolean; error?: unknown } },
  value: unknown,
) {
  const result = schema.safeParse(value);
  if (!result.success) throw new Error(`${JSON.stringify(value)} fails its schema: ${String(result.error)}`);
}
