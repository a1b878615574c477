import type { AlertMemory, RuleCondition } from './state-machine';
import { evaluate, INACTIVE, severityOf } from './state-machine';

const rule: RuleCondition = {
  comparison: 'gt',
  threshold: 80,
  severity: 'warning',
  escalations: [{ threshold: 95, severity: 'critical' }],
  forMs: 30_000,
  keepFiringForMs: 0,
};

/** Runs evaluations on a fake clock: each [offsetMs, value] is one evaluation at T0 + offset. */
function run(condition: RuleCondition, steps: readonly [number, number | undefined][], start = INACTIVE) {
  const T0 = Date.parse('2026-12-01T08:00:00.000Z');
  let memory: AlertMemory = start;
  const log: { at: number; state: string; transition?: string; severity: string }[] = [];
  for (const [offset, value] of steps) {
    const out = evaluate(memory, condition, value, T0 + offset);
    memory = out.memory;
    const transition = out.transition
      ? `${out.transition.kind}${out.transition.kind === 'firing' && out.transition.escalated ? '+' : ''}`
      : undefined;
    log.push({
      at: offset,
      state: memory.state,
      severity: memory.severity,
      ...(transition ? { transition } : {}),
    });
  }
  return { memory, log };
}

describe('alert state machine (fake clock)', () => {
  it('goes pending, and fires only once the condition held for the whole `for`', () => {
    const { log } = run(rule, [
      [0, 85],
      [15_000, 90],
      [29_999, 90],
      [30_000, 90],
      [45_000, 90],
    ]);
    expect(log.map((l) => l.state)).toEqual(['pending', 'pending', 'pending', 'firing', 'firing']);
    expect(log.filter((l) => l.transition)).toEqual([
      { at: 30_000, state: 'firing', severity: 'warning', transition: 'firing' },
    ]);
  });

  it('resets the `for` timer on a single false evaluation', () => {
    const { log } = run(rule, [
      [0, 85],
      [20_000, 70],
      [25_000, 85],
      [50_000, 85],
      [55_000, 85],
    ]);
    expect(log.map((l) => l.state)).toEqual(['pending', 'inactive', 'pending', 'pending', 'firing']);
  });

  it('treats a series without samples as false: pending is dropped, firing resolves', () => {
    const noFor = { ...rule, forMs: 0 };
    const { log } = run(noFor, [
      [0, 85],
      [10_000, undefined],
      [20_000, 85],
    ]);
    expect(log.map((l) => l.transition)).toEqual(['firing', 'resolved', 'firing']);
  });

  it('fires on the first true evaluation without `for`', () => {
    expect(run({ ...rule, forMs: 0 }, [[0, 81]]).log[0]).toMatchObject({
      state: 'firing',
      transition: 'firing',
    });
  });

  it('keeps firing for keep_firing_for after the condition cleared, then resolves', () => {
    const sticky = { ...rule, forMs: 0, keepFiringForMs: 60_000 };
    const { log, memory } = run(sticky, [
      [0, 90],
      [10_000, 50],
      [40_000, 50],
      [50_000, 90], // back before the hold ran out: the hold starts again from the next clear
      [60_000, 50],
      [119_999, 50],
      [120_000, 50],
    ]);
    expect(log.map((l) => l.state)).toEqual([
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'firing',
      'resolved',
    ]);
    expect(log.filter((l) => l.transition).map((l) => l.transition)).toEqual(['firing', 'resolved']);
    expect(memory.resolvedAt).toBe(Date.parse('2026-12-01T08:00:00.000Z') + 120_000);
  });

  it('escalates while firing (a transition of its own) and steps down silently', () => {
    const { log } = run({ ...rule, forMs: 0 }, [
      [0, 85],
      [10_000, 97],
      [20_000, 97],
      [30_000, 85],
      [40_000, 99],
    ]);
    expect(log.map((l) => `${l.severity}${l.transition ? `/${l.transition}` : ''}`)).toEqual([
      'warning/firing',
      'critical/firing+',
      'critical',
      'warning',
      'critical/firing+',
    ]);
  });

  it('fires at the severity the value meets when it first fires', () => {
    expect(run({ ...rule, forMs: 0 }, [[0, 96]]).memory.severity).toBe('critical');
  });

  it('keeps a pending timer it is given (as after a restart) and fires on time', () => {
    const T0 = Date.parse('2026-12-01T08:00:00.000Z');
    const restored: AlertMemory = {
      ...INACTIVE,
      state: 'pending',
      severity: 'warning',
      activeAt: T0 - 25_000,
    };
    const { log } = run(rule, [[5_000, 85]], restored);
    expect(log[0]).toMatchObject({ state: 'firing', transition: 'firing' });
  });

  it('compares with every operator', () => {
    const at = (comparison: RuleCondition['comparison'], value: number) =>
      severityOf({ ...rule, comparison, escalations: [] }, value);
    expect([at('gt', 80), at('gte', 80), at('lt', 79), at('lte', 80), at('eq', 80), at('ne', 80)]).toEqual([
      undefined,
      'warning',
      'warning',
      'warning',
      'warning',
      undefined,
    ]);
  });
});
