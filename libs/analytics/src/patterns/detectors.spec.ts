import { seededNormal } from '@kailash/random';
import { InsufficientDataError } from '../core/errors';
import {
  analyseTrend,
  detectGrowth,
  detectImbalance,
  detectLevelShift,
  detectPeriodic,
  detectSpikes,
  findPatterns,
} from './detectors';

const noise = (seed: number) => seededNormal(seed);

function series(length: number, shape: (t: number) => number, seed = 1): Float64Array {
  const n = noise(seed);
  return Float64Array.from({ length }, (_, t) => 100 + shape(t) + n());
}

describe('pattern detection', () => {
  it('finds a period with its strength as evidence', () => {
    const finding = detectPeriodic(series(600, (t) => 10 * Math.sin((2 * Math.PI * t) / 48)));
    expect(finding?.evidence['period']).toBe(48);
    expect(finding?.confidence).toBeGreaterThan(0.8);
  });

  it('finds isolated spikes but not a plateau', () => {
    const values = series(500, () => 0);
    values[250] = (values[250] as number) + 30;
    expect(detectSpikes(values)?.evidence['indices']).toEqual([250]);
    expect(detectSpikes(series(500, (t) => (t > 250 ? 30 : 0)))).toBeUndefined();
  });

  it('tells gradual growth from a level shift', () => {
    const growth = series(500, (t) => t / 5);
    const shift = series(500, (t) => (t >= 300 ? 10 : 0));
    expect(detectGrowth(growth)?.kind).toBe('growth');
    expect(detectGrowth(shift)).toBeUndefined();
    expect(detectLevelShift(shift)?.evidence['index']).toBeCloseTo(300, -1);
    expect(detectLevelShift(growth)).toBeUndefined();
  });

  it('reports a linear trend with a confidence and a prediction interval at the horizon', () => {
    const trend = analyseTrend(
      series(200, (t) => 0.5 * t),
      10,
    );
    expect(trend.prediction.value).toBeCloseTo(100 + 0.5 * 209, -1);
    expect(trend.prediction.lower).toBeLessThan(trend.prediction.value);
    expect(trend.confidence).toBeGreaterThan(0.9);
    expect(
      analyseTrend(
        series(200, () => 0),
        10,
      ).confidence,
    ).toBeLessThan(0.9);
  });

  it('flags imbalance across series by the coefficient of variation of their means', () => {
    expect(
      detectImbalance([
        [10, 10],
        [10, 10],
        [80, 80],
      ])?.evidence['busiest'],
    ).toBe(2);
    expect(detectImbalance([[10], [11], [12]])).toBeUndefined();
  });

  it('finds nothing in white noise and guards tiny or empty input', () => {
    expect(findPatterns(series(500, () => 0, 7))).toEqual([]);
    expect(() => findPatterns([1, 2, 3])).toThrow(InsufficientDataError);
    expect(findPatterns(new Float64Array(100).fill(5))).toEqual([]);
  });
});
