import { InvalidInputError } from '../../core/errors';
import { seededNormal } from '@kailash/random';
import { cadOseDetector } from './cad-ose';
import { liveCadOseDetector, type LiveCadOseOptions, type LiveCadOseState } from './live-cad-ose';

const SMALL: LiveCadOseOptions = {
  learningLength: 100,
  restPeriod: 10,
  minRequantiseGap: 50,
  historyLength: 1000,
};

/** A ramp 0..7 repeating every 8 values, moved up by `offset` from `shiftAt` on. */
function shiftedSawtooth(length: number, shiftAt: number, offset: number): number[] {
  return Array.from({ length }, (_, t) => (t < shiftAt ? 0 : offset) + (t % 8));
}

/** Noise around a level that steps up twice, with spikes: exercises learning, widening and relearning. */
function restless(length: number, seed: number): number[] {
  const noise = seededNormal(seed);
  return Array.from({ length }, (_, t) => {
    const level = t < 700 ? 10 : t < 1600 ? 25 : 60;
    return level + 3 * Math.sin((2 * Math.PI * t) / 48) + noise() + (t % 397 === 0 ? 40 : 0);
  });
}

describe('liveCadOseDetector', () => {
  it('learns its range from the first values, scoring nothing until it has it', () => {
    const detector = liveCadOseDetector({ ...SMALL, margin: 0.5 });
    const scores = shiftedSawtooth(100, 100, 0).map((v) => detector.update(v));
    expect(scores.every((s) => s === 0)).toBe(true);
    // 0..7 with half the span added on each side.
    expect(detector.range).toEqual({ min: -3.5, max: 10.5 });
  });

  it('widens its range when values leave it and keeps reading sequences at the new level', () => {
    const values = shiftedSawtooth(3000, 1000, 20);
    // 27 where the sequence has 20: inside the new level's span, but out of its order.
    values[2400] = 27;
    const live = liveCadOseDetector(SMALL);
    const scores = values.map((v) => live.update(v));
    expect(live.range?.max).toBeGreaterThanOrEqual(27);
    expect(scores[2400]).toBeGreaterThan(Math.max(...scores.slice(1800, 2400)));
    // A range frozen after the same learning period puts the whole new level on its top level:
    // the break looks like everything around it.
    const frozen = cadOseDetector({ range: { warmup: 100, margin: 0.4 }, restPeriod: 10 });
    const frozenScores = values.map((v) => frozen.update(v));
    expect(frozenScores[2400]).toBeLessThanOrEqual(Math.max(...frozenScores.slice(1800, 2400)));
  });

  it('bounds its memory: history at most twice its length, contexts far below an unbounded CAD OSE', () => {
    const noise = seededNormal(5);
    const values = Array.from({ length: 12_000 }, () => noise());
    const live = liveCadOseDetector({ ...SMALL, historyLength: 400 });
    const unbounded = cadOseDetector({ maxContexts: Number.MAX_SAFE_INTEGER, restPeriod: 10 });
    let largestHistory = 0;
    for (const v of values) {
      live.update(v);
      unbounded.update(v);
      largestHistory = Math.max(largestHistory, live.historySize);
    }
    expect(largestHistory).toBeLessThanOrEqual(800);
    expect(live.contextCount).toBeLessThan(unbounded.contextCount / 4);
  });

  it('continues from a JSON snapshot exactly as an uninterrupted run, wherever it is cut', () => {
    const values = restless(3000, 9);
    const options: LiveCadOseOptions = { ...SMALL, historyLength: 500 };
    const uninterrupted = liveCadOseDetector(options);
    const expected = values.map((v) => uninterrupted.update(v));
    // Cuts while learning, right after the first range, during pending widening and after relearning.
    for (const cut of [40, 100, 701, 1200, 2999]) {
      const first = liveCadOseDetector(options);
      const head = values.slice(0, cut).map((v) => first.update(v));
      const state = JSON.parse(JSON.stringify(first.snapshot())) as LiveCadOseState;
      const restored = liveCadOseDetector(options, state);
      const tail = values.slice(cut).map((v) => restored.update(v));
      expect([...head, ...tail]).toEqual(expected);
      expect(restored.snapshot()).toEqual(uninterrupted.snapshot());
      expect(restored.contextCount).toBe(uninterrupted.contextCount);
    }
  });

  it('keeps scores in [0, 1] and ignores non-finite values without changing its state', () => {
    const values = restless(1500, 3);
    const clean = liveCadOseDetector(SMALL);
    const gappy = liveCadOseDetector(SMALL);
    for (const [i, v] of values.entries()) {
      const score = clean.update(v);
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThanOrEqual(1);
      if (i === 800) {
        expect(gappy.update(Number.NaN)).toBe(0);
        expect(gappy.update(Number.NEGATIVE_INFINITY)).toBe(0);
      }
      expect(gappy.update(v)).toBe(score);
    }
  });

  it('handles a constant series and a single level change from it', () => {
    const detector = liveCadOseDetector(SMALL);
    const scores = [...new Array<number>(600).fill(5), ...new Array<number>(600).fill(9)].map((v) =>
      detector.update(v),
    );
    expect(scores.slice(0, 600).every((s) => s === 0)).toBe(true);
    expect(scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
    expect(detector.range?.max).toBeGreaterThanOrEqual(9);
  });

  it('rejects bad options and a malformed state, naming the field', () => {
    expect(() => liveCadOseDetector({ historyLength: 0 })).toThrow(/historyLength/);
    expect(() => liveCadOseDetector({ margin: -1 })).toThrow(/margin/);
    const good = liveCadOseDetector(SMALL).snapshot();
    const bad = (patch: object) => () => liveCadOseDetector(SMALL, { ...good, ...patch } as LiveCadOseState);
    expect(bad({ version: 2 })).toThrow(InvalidInputError);
    expect(bad({ history: [1, null] })).toThrow(/history/);
    expect(bad({ sinceStrongScore: -1 })).toThrow(/sinceStrongScore/);
    expect(bad({ range: { min: 3, max: 1 } })).toThrow(/range/);
  });
});
