import { seededNormal } from '@kailash/random';
import { artimeDetector, calibrateVigilance } from './artime';
import { haarTransform, minMaxScale, nearCosine, windowFeatures } from './features';
import { DualVigilanceFuzzyArt } from './fuzzy-art';
import { DownsampledLevels } from './levelling';

/** A daily-like cycle of 48 steps with mild noise, and a copy with a flat-line fault from `faultAt`. */
function cycle(length: number, seed: number, faultAt = Number.POSITIVE_INFINITY): number[] {
  const noise = seededNormal(seed);
  return Array.from({ length }, (_, t) =>
    t >= faultAt && t < faultAt + 200 ? 50 : 50 + 30 * Math.sin((2 * Math.PI * t) / 48) + noise(),
  );
}

function run(values: readonly number[], maxCategories?: number) {
  const detector = artimeDetector({ min: 0, max: 100, length: values.length, maxCategories });
  return { detector, scores: values.map((v) => detector.update(v)) };
}

describe('haarTransform', () => {
  it('puts the scaled mean first and the finest differences last, each detail = later − earlier half', () => {
    const out = haarTransform([1, 1, 1, 1, 3, 3, 3, 3]);
    expect(out[0]).toBeCloseTo(16 / Math.sqrt(8));
    expect(out[1]).toBeCloseTo(8 / Math.sqrt(8));
    expect(haarTransform([0, 1])[1]).toBeCloseTo(Math.SQRT1_2);
    expect(Array.from(out.subarray(2))).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('preserves energy (orthonormal)', () => {
    const x = [3, -1, 4, 1, -5, 9, 2, -6];
    const energy = (v: ArrayLike<number>) => Array.from(v).reduce((s, a) => s + a * a, 0);
    expect(energy(haarTransform(x))).toBeCloseTo(energy(x));
  });
});

describe('feature helpers', () => {
  it('scales into [0, 1] and maps a constant window to zeros', () => {
    expect(Array.from(minMaxScale(Float64Array.from([2, 4, 6])))).toEqual([0, 0.5, 1]);
    expect(Array.from(minMaxScale(Float64Array.from([5, 5])))).toEqual([0, 0]);
  });

  it('describes a window by its shape and its values', () => {
    const f = windowFeatures(Float64Array.from([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9]));
    expect(f.length).toBe(16);
    expect(Array.from(f.subarray(8))).toEqual([0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.9]);
    for (const v of f.subarray(0, 8)) expect(v).toBeGreaterThanOrEqual(0);
  });

  it('uses 1 − the other norm when a vector is zero', () => {
    expect(nearCosine(Float64Array.from([0, 0]), Float64Array.from([0.6, 0.8]))).toBeCloseTo(0);
    expect(nearCosine(Float64Array.from([1, 0]), Float64Array.from([2, 0]))).toBeCloseTo(1);
  });
});

describe('DualVigilanceFuzzyArt', () => {
  it('resonates with a learned sample and opens a new cluster for a very different one', () => {
    const art = new DualVigilanceFuzzyArt(2);
    art.rhoLow = 0.5;
    art.rhoHigh = 0.9;
    art.present([0.2, 0.2]);
    expect(art.present([0.2, 0.2]).mismatch).toBe(true); // only the uncommitted category exists yet
    const again = art.present([0.2, 0.2]);
    expect(again.mismatch).toBe(false);
    expect(again.similarity).toBeCloseTo(1);
    const far = art.present([1, 1]);
    expect(far.mismatch).toBe(true);
    expect(far.similarity).toBeLessThan(0.5);
  });

  it('never stores more categories than its cap', () => {
    const art = new DualVigilanceFuzzyArt(1, 5);
    art.rhoLow = 0.99;
    art.rhoHigh = 0.99;
    for (let k = 0; k <= 100; k++) art.present([k / 100]);
    expect(art.categoryCount).toBe(5);
  });

  it('measures without learning when told not to learn', () => {
    const art = new DualVigilanceFuzzyArt(1);
    art.rhoLow = 0.5;
    art.rhoHigh = 0.9;
    art.present([0.3]);
    art.present([0.3], false);
    expect(art.categoryCount).toBe(1);
  });
});

describe('DownsampledLevels', () => {
  it('emits one value per block and keeps a short spike through down-sampling', () => {
    const levels = new DownsampledLevels(4, 0, 100, 100, 0);
    const out = [10, 10, 10, 10, 10, 90, 10, 10].map((v) => levels.push(v));
    expect(out.filter((v) => v !== undefined)).toEqual([0.1, 0.9]);
  });

  it('snaps values near the running median to it', () => {
    const levels = new DownsampledLevels(1, 0, 100, 100, 0.075);
    [50, 50, 50].forEach((v) => levels.push(v));
    expect(levels.push(55)).toBe(0.5);
    expect(levels.push(80)).toBe(0.8);
  });
});

describe('artimeDetector', () => {
  it('stays quiet on a regular cycle and fires on a fault that breaks it', () => {
    const { scores } = run(cycle(4000, 1, 2500));
    const before = scores.slice(0, 2500);
    const during = scores.slice(2500, 2700);
    expect(before.filter((s) => s > 0).length).toBeLessThanOrEqual(1);
    expect(Math.max(...during)).toBeGreaterThan(0.5);
    expect(Math.max(...during)).toBeGreaterThan(2 * Math.max(...before));
    for (const s of scores) expect(s >= 0 && s <= 1).toBe(true);
  });

  it('reports nothing during the probationary period', () => {
    const { scores } = run(cycle(4000, 2, 100));
    expect(scores.slice(0, 600).every((s) => s === 0)).toBe(true);
  });

  it('is deterministic', () => {
    const values = cycle(3000, 3, 2000);
    expect(run(values).scores).toEqual(run(values).scores);
  });

  it('keeps its categories within the cap on a series that never repeats', () => {
    const noise = seededNormal(4);
    const values = Array.from({ length: 6000 }, () => 50 + 20 * noise());
    const { detector } = run(values, 50);
    expect(detector.categoryCount).toBeLessThanOrEqual(50);
  });

  it('ignores gaps', () => {
    const values = cycle(3000, 5);
    const detector = artimeDetector({ min: 0, max: 100, length: values.length });
    expect(detector.update(Number.NaN)).toBe(0);
  });
});

describe('calibrateVigilance', () => {
  it('gives a high vigilance for identical windows and a lower one for varied windows', () => {
    const same = Array.from({ length: 40 }, () =>
      windowFeatures(Float64Array.from([0.2, 0.4, 0.6, 0.8, 0.6, 0.4, 0.2, 0])),
    );
    const noise = seededNormal(6);
    const varied = Array.from({ length: 40 }, () =>
      windowFeatures(Float64Array.from({ length: 8 }, () => Math.min(1, Math.max(0, 0.5 + 0.2 * noise())))),
    );
    const calm = calibrateVigilance(same, 0.8, 20);
    expect(calm).toBeGreaterThan(0.9);
    expect(calibrateVigilance(varied, 0.8, 20)).toBeLessThan(calm);
  });
});
