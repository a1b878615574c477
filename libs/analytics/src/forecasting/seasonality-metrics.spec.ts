import { detectSeasonality } from './seasonality';
import { mase, naive2Forecast, owa, smape } from './metrics';
import { seasonalSeries } from '../../test/seasonal-series';
import { seededNormal } from '@kailash/random';

describe('seasonality detection', () => {
  it('finds a daily period and not its harmonics', () => {
    const periods = detectSeasonality(seasonalSeries(24 * 20)).map((p) => p.period);
    expect(periods).toEqual([24]);
  });

  it('finds a weekly period on top of a daily one', () => {
    const noise = seededNormal(5);
    const values = Float64Array.from(
      { length: 24 * 7 * 6 },
      (_, t) => 10 * Math.sin((2 * Math.PI * t) / 24) + (Math.floor(t / 24) % 7 >= 5 ? -15 : 0) + noise(),
    );
    expect(detectSeasonality(values, { maxPeriod: 200 }).map((p) => p.period)).toEqual(
      expect.arrayContaining([24, 168]),
    );
  });

  it('finds nothing in white noise or a constant', () => {
    const noise = seededNormal(9);
    expect(detectSeasonality(Float64Array.from({ length: 500 }, noise))).toEqual([]);
    expect(detectSeasonality(new Float64Array(100).fill(3))).toEqual([]);
  });
});

describe('M4 metrics', () => {
  it('computes sMAPE, MASE and OWA by their definitions', () => {
    expect(smape([100, 100], [110, 90])).toBeCloseTo((200 * 10) / 210 / 2 + (200 * 10) / 190 / 2, 10);
    expect(mase([1, 2], [2, 3], 0.5)).toBe(2);
    expect(owa(10, 1, 20, 2)).toBe(0.5);
  });

  it('Naive2 re-seasonalises the last adjusted value of a seasonal series', () => {
    const f = naive2Forecast(
      seasonalSeries(24 * 10).map((v) => v + 100),
      24,
      24,
    );
    const plain = naive2Forecast(
      Float64Array.from({ length: 30 }, (_, i) => i),
      3,
      24,
    );
    expect(new Set(Array.from(f)).size).toBeGreaterThan(10);
    expect(Array.from(plain)).toEqual([29, 29, 29]);
  });
});
