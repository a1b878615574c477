import { seededNormal } from '@kailash/random';
import { cadOseDetector, mostActivated } from './cad-ose';
import { ContextMemory } from './context-memory';
import { rangeEncoder } from './encoding';
import { nabCadOseOptions } from './nab-protocol';

/** A repeating ramp 0..7 over 8 steps: a sequence that is easy to learn and whose every value is common. */
function sawtooth(length: number): number[] {
  return Array.from({ length }, (_, t) => t % 8);
}

function run(values: readonly number[], options: Parameters<typeof cadOseDetector>[0] = {}): number[] {
  // These tests read the learned sequence through the prediction gate: a predicted value scores 0.
  const detector = cadOseDetector({ gateOnPrediction: true, ...options });
  return values.map((v) => detector.update(v));
}

describe('rangeEncoder', () => {
  it('gives one fact per bit, level 0 at the minimum and the top level at the maximum', () => {
    const encode = rangeEncoder(3, { min: 0, max: 7 });
    expect(encode(0)).toEqual([0, 2, 4]);
    expect(encode(7)).toEqual([1, 3, 5]);
    expect(encode(5)).toEqual([1, 2, 5]);
  });

  it('clamps values outside a known range to the edge levels', () => {
    const encode = rangeEncoder(3, { min: 0, max: 7 });
    expect(encode(-100)).toEqual(encode(0));
    expect(encode(1e9)).toEqual(encode(7));
  });

  it('maps every value of a constant range to level 0', () => {
    expect(rangeEncoder(3, { min: 4, max: 4 })(4)).toEqual([0, 2, 4]);
    const learned = rangeEncoder(3, { warmup: 10, margin: 0.25 });
    for (let i = 0; i < 20; i++) expect(learned(4)).toEqual([0, 2, 4]);
  });

  it('learns the range during the warm-up, then freezes it with a margin on each side', () => {
    const encode = rangeEncoder(3, { warmup: 2, margin: 0.5 });
    encode(10);
    encode(20);
    // Frozen range [5, 25]: step 20/7, so 10 is level 1 and 25 the top level.
    expect(encode(10)).toEqual([1, 2, 4]);
    expect(encode(25)).toEqual([1, 3, 5]);
    expect(encode(1000)).toEqual([1, 3, 5]);
    expect(encode(-1000)).toEqual([0, 2, 4]);
  });

  it('rejects a bit count it cannot encode', () => {
    expect(() => rangeEncoder(0, { min: 0, max: 1 })).toThrow(RangeError);
    expect(() => rangeEncoder(2.5, { min: 0, max: 1 })).toThrow(RangeError);
  });
});

describe('mostActivated', () => {
  it('keeps the k most activated contexts in order, the older first on ties', () => {
    const active = [
      { id: 5, activations: 2 },
      { id: 1, activations: 9 },
      { id: 7, activations: 4 },
      { id: 3, activations: 4 },
      { id: 0, activations: 1 },
    ];
    expect(mostActivated(active, 3).map((a) => a.id)).toEqual([1, 3, 7]);
    expect(mostActivated(active, 10)).toHaveLength(5);
    expect(mostActivated(active, 0)).toEqual([]);
  });
});

describe('ContextMemory', () => {
  it('predicts the facts that followed a fully matched left side', () => {
    const memory = new ContextMemory(7, 100);
    expect(memory.storeZeroLevel([1, 2], [3])).toBe(true);
    expect(memory.storeZeroLevel([1, 2], [3])).toBe(false);
    memory.crossLeft([1, 2]);
    expect([...memory.predict()]).toEqual([3]);
    memory.crossLeft([1]);
    expect(memory.predict().size).toBe(0);
  });

  it('stops learning at its context limit', () => {
    const memory = new ContextMemory(7, 2);
    memory.storeZeroLevel([1], [2]);
    memory.storeZeroLevel([2], [3]);
    expect(memory.storeZeroLevel([3], [4])).toBe(false);
    expect(memory.size).toBe(2);
  });
});

describe('cadOseDetector', () => {
  it('learns a repeating sequence until values that follow it score 0', () => {
    const scores = run(sawtooth(800), { range: { min: 0, max: 7 }, restPeriod: 10 });
    expect(Math.max(...scores.slice(400))).toBe(0);
  });

  it('flags a value of ordinary size that breaks the learned order', () => {
    const values = sawtooth(800);
    // 2 is a common value, but after 5 the sequence expects 6.
    values[606] = 2;
    const scores = run(values, { range: { min: 0, max: 7 }, restPeriod: 10 });
    expect(Math.max(...scores.slice(400, 606))).toBe(0);
    expect(scores[606]).toBeGreaterThan(0.5);
  });

  it('mutes scores for the rest period after a strong one', () => {
    const values = sawtooth(800);
    values[606] = 2;
    values[620] = 2;
    const scores = run(values, { range: { min: 0, max: 7 }, restPeriod: 50, baseThreshold: 0.5 });
    expect(scores[606]).toBeGreaterThan(0.5);
    expect(scores[620]).toBe(0);
    // With a rest period shorter than the gap, the second break is reported.
    expect(
      run(values, { range: { min: 0, max: 7 }, restPeriod: 10, baseThreshold: 0.5 })[620],
    ).toBeGreaterThan(0);
  });

  it('stays silent during the first rest period', () => {
    const noise = seededNormal(3);
    // A base threshold above 1 never mutes, so only the initial rest period is silent.
    const scores = run(
      Array.from({ length: 200 }, () => noise()),
      { restPeriod: 100, baseThreshold: 1.1 },
    );
    expect(Math.max(...scores.slice(0, 100))).toBe(0);
    expect(Math.max(...scores.slice(100))).toBeGreaterThan(0);
  });

  it('keeps scores in [0, 1] on noise, with and without a known range', () => {
    const noise = seededNormal(7);
    const values = Array.from({ length: 1500 }, () => 10 + noise());
    for (const scores of [
      run(values, { restPeriod: 5 }),
      run(values, { range: { min: 5, max: 15 }, restPeriod: 5 }),
    ])
      expect(scores.every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
  });

  it('ignores NaN and Infinity (score 0) without changing what it learned', () => {
    const clean = sawtooth(600);
    const gappy: number[] = [
      ...clean.slice(0, 300),
      Number.NaN,
      Number.POSITIVE_INFINITY,
      ...clean.slice(300),
    ];
    const a = run(clean, { range: { min: 0, max: 7 }, restPeriod: 10 });
    const b = run(gappy, { range: { min: 0, max: 7 }, restPeriod: 10 });
    expect(b[300]).toBe(0);
    expect(b[301]).toBe(0);
    expect([...b.slice(0, 300), ...b.slice(302)]).toEqual(a);
  });

  it('scores a constant series 0 and tiny input 0', () => {
    expect(run(new Array<number>(500).fill(3), { restPeriod: 10 }).every((s) => s === 0)).toBe(true);
    expect(run([1, 2], { restPeriod: 0 }).every((s) => Number.isFinite(s) && s >= 0 && s <= 1)).toBe(true);
    expect(run([1, 2])).toEqual([0, 0]);
  });

  it('bounds its memory: learning stops at maxContexts', () => {
    const noise = seededNormal(11);
    const detector = cadOseDetector({ maxContexts: 300, restPeriod: 0 });
    const scores = Array.from({ length: 3000 }, () => detector.update(noise()));
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    expect(detector.contextCount).toBe(300);
  });
});

describe('nabCadOseOptions', () => {
  it("derives NAB's rest period from the file length: a fifth of min(15 % of rows, 750), truncated", () => {
    expect(nabCadOseOptions(new Float64Array(4032)).restPeriod).toBe(120);
    expect(nabCadOseOptions(new Float64Array(1243)).restPeriod).toBe(37);
    expect(nabCadOseOptions(new Float64Array(22_695)).restPeriod).toBe(150);
  });

  it("tells the file's finite minimum and maximum, scores every value and caps no memory", () => {
    const options = nabCadOseOptions([3, Number.NaN, -2, 8, Number.POSITIVE_INFINITY]);
    expect(options.range).toEqual({ min: -2, max: 8 });
    expect(options.gateOnPrediction).toBe(false);
    expect(options.maxContexts).toBe(Number.MAX_SAFE_INTEGER);
  });
});
