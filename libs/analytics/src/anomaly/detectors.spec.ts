import { seededNormal } from '@kailash/random';
import { cusumDetector, pageHinkleyDetector } from './change-points';
import { combinedDetector } from './combined';
import { ewmaBandsDetector } from './ewma-bands';
import { robustZDetector } from './robust-z';
import { RingBuffer, SortedWindow } from './running';
import { seasonalResidualDetector } from './seasonal-residual';
import { withSuppression } from './suppression';
import type { StreamingDetector } from './types';

const factories: [string, () => StreamingDetector][] = [
  ['robust-z', () => robustZDetector({ window: 100 })],
  ['ewma-bands', () => ewmaBandsDetector()],
  ['seasonal-residual', () => seasonalResidualDetector({ period: 24 })],
  ['cusum', () => cusumDetector()],
  ['page-hinkley', () => pageHinkleyDetector()],
  ['combined', () => combinedDetector()],
];

function noisy(length: number, seed = 1): Float64Array {
  const noise = seededNormal(seed);
  return Float64Array.from({ length }, (_, t) => 50 + 5 * Math.sin((2 * Math.PI * t) / 24) + noise());
}

function run(detector: StreamingDetector, values: ArrayLike<number>): number[] {
  return Array.from(values, (v) => detector.update(v));
}

const pointDetectors = factories.filter(([name]) => name !== 'cusum' && name !== 'page-hinkley');

describe.each(pointDetectors)('%s', (_name, create) => {
  it('scores a large spike far above the normal points and stays in [0, 1]', () => {
    const values = noisy(800);
    values[700] = (values[700] as number) + 40;
    const scores = run(create(), values);
    expect(scores.every((s) => s >= 0 && s <= 1)).toBe(true);
    const before = Math.max(...scores.slice(300, 700));
    expect(Math.max(...scores.slice(700, 705))).toBeGreaterThan(before);
  });
});

describe.each(factories)('%s guards', (_name, create) => {
  it('ignores NaN and Infinity (score 0) without corrupting later scores', () => {
    const detector = create();
    const values = Array.from(noisy(300));
    values[150] = Number.NaN;
    values[151] = Number.POSITIVE_INFINITY;
    const scores = run(detector, values);
    expect(scores[150]).toBe(0);
    expect(scores[151]).toBe(0);
    expect(scores.every(Number.isFinite)).toBe(true);
  });

  it('never outputs NaN on a constant series or on tiny input', () => {
    expect(
      run(create(), new Float64Array(500).fill(3)).every((s) => Number.isFinite(s) && s >= 0 && s <= 1),
    ).toBe(true);
    expect(run(create(), [1, 2]).every((s) => s === 0)).toBe(true);
  });
});

describe('change-point detectors', () => {
  it.each([
    ['cusum', () => cusumDetector()],
    ['page-hinkley', () => pageHinkleyDetector()],
  ])('%s reacts to a level shift within a few dozen points', (_name, create) => {
    const noise = seededNormal(4);
    const values = Float64Array.from({ length: 600 }, (_, t) => (t >= 400 ? 8 : 0) + noise());
    const scores = run(create(), values);
    const quiet = Math.max(...scores.slice(200, 400));
    const alarm = scores.slice(400, 450).findIndex((s) => s > quiet);
    expect(alarm).toBeGreaterThanOrEqual(0);
    expect(alarm).toBeLessThan(30);
  });
});

describe('streaming building blocks', () => {
  it('SortedWindow keeps the median and MAD of the last values only', () => {
    const window = new SortedWindow(5);
    [100, 1, 2, 3, 4, 5].forEach((v) => window.push(v));
    expect(window.quantile(0.5)).toBe(3);
    expect(window.medianAbsoluteDeviation(3)).toBe(1);
  });

  it('RingBuffer evicts the oldest value', () => {
    const ring = new RingBuffer(2);
    expect(ring.push(1)).toBeUndefined();
    ring.push(2);
    expect(ring.push(3)).toBe(1);
    expect(Array.from(ring.toArray())).toEqual([2, 3]);
  });

  it('suppression halves repeats of an incident but keeps its first, highest score', () => {
    let i = 0;
    const raw = [0.1, 0.9, 0.8, 0.9, 0.1];
    const suppressed = withSuppression({ name: 'fixed', update: () => raw[i++] as number }, 10);
    expect(raw.map(() => suppressed.update(0))).toEqual([0.1, 0.9, 0.4, 0.45, 0.05]);
  });
});
