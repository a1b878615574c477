import { trendOf } from './trend-math';
import { trendStepMs } from './trends';

/** Deterministic noise in [-0.5, 0.5). */
const noise = (i: number) => ((i * 7919) % 101) / 101 - 0.5;

describe('trend of a series', () => {
  it('finds a rising slope with an interval around the true one, and forecasts along it', () => {
    const grid = Array.from({ length: 240 }, (_, i) => 20 + 0.1 * i + noise(i));
    const trend = trendOf(grid, 60);
    expect(trend?.slope.lower).toBeLessThan(0.1);
    expect(trend?.slope.upper).toBeGreaterThan(0.1);
    expect(trend?.slope.value).toBeCloseTo(0.1, 2);
    expect(trend?.forecast.value).toBeGreaterThan(20 + 0.1 * 290);
    expect(trend?.forecast.value).toBeLessThan(20 + 0.1 * 310);
    expect(trend?.forecast.lower).toBeLessThan(trend?.forecast.value ?? 0);
    expect(trend?.movingAverages.short).toBeGreaterThan(trend?.movingAverages.long ?? Infinity);
  });

  it('locates a step change', () => {
    const grid = Array.from({ length: 200 }, (_, i) => (i < 120 ? 30 : 70) + noise(i));
    const points = trendOf(grid, 10)?.changePoints ?? [];
    expect(points.length).toBeGreaterThan(0);
    for (const point of points) {
      expect(Math.abs(point.index - 120)).toBeLessThanOrEqual(10);
      expect(point.after).toBeGreaterThan(point.before);
    }
  });

  it('bridges empty steps, keeps grid positions, and needs enough points', () => {
    const grid = Array.from({ length: 100 }, (_, i) => (i % 10 === 3 || i < 5 ? Number.NaN : 50 + noise(i)));
    const trend = trendOf(grid, 5);
    expect(trend?.points).toBe(86);
    expect(Math.abs(trend?.slope.value ?? 1)).toBeLessThan(0.05);
    expect(trendOf([1, 2, 3, Number.NaN], 5)).toBeUndefined();
  });

  it('gives finite numbers for a constant series', () => {
    const trend = trendOf(new Array<number>(50).fill(42), 10);
    expect(trend?.slope.value).toBe(0);
    expect(trend?.slope.lower).toBeCloseTo(0, 10);
    expect(trend?.slope.upper).toBeCloseTo(0, 10);
    expect(trend?.forecast.value).toBe(42);
    const numbers = JSON.stringify(trend).match(/null|NaN|Infinity/g);
    expect(numbers).toBeNull();
  });

  it('coarsens the step for long windows to whole minutes', () => {
    expect(trendStepMs(6 * 3600_000)).toBe(60_000);
    expect(trendStepMs(7 * 24 * 3600_000)).toBe(14 * 60_000);
  });
});
