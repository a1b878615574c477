import { InsufficientDataError } from '../core/errors';
import { arima, sarima } from './models/arima';
import { fitArimaOrder } from './models/arima-core';
import { holtWinters } from './models/ets';
import { linearTrend } from './models/linear-trend';
import { mstl } from './models/mstl';
import { naive, seasonalNaive } from './models/naive';
import { mase, maseScale } from './metrics';
import { seasonalSeries } from '../../test/seasonal-series';
import { seededNormal } from '@kailash/random';
import type { Forecaster } from './types';

const context = { periods: [24] };
const series = seasonalSeries(24 * 30 + 48);
const train = series.subarray(0, series.length - 48);
const test = series.subarray(series.length - 48);

function accuracy(model: Forecaster): number {
  return mase(test, model.fit(train, context).forecast(48).mean, maseScale(train, 24));
}

describe('forecasting models', () => {
  it('naive repeats the last value with widening intervals', () => {
    const f = naive.fit(Float64Array.from([1, 2, 3]), { periods: [] }).forecast(3);
    expect(Array.from(f.mean)).toEqual([3, 3, 3]);
    expect((f.upper[2] as number) - (f.lower[2] as number)).toBeGreaterThan(
      (f.upper[0] as number) - (f.lower[0] as number),
    );
  });

  it('seasonal naive repeats the last cycle and needs one', () => {
    const f = seasonalNaive(3)
      .fit(Float64Array.from([1, 2, 3, 4, 5, 6]), { periods: [] })
      .forecast(4);
    expect(Array.from(f.mean)).toEqual([4, 5, 6, 4]);
    expect(() => seasonalNaive(24).fit(Float64Array.from([1, 2]), { periods: [] })).toThrow(
      InsufficientDataError,
    );
    expect(() => seasonalNaive().fit(Float64Array.from([1, 2, 3]), { periods: [] })).toThrow(
      /no seasonal period/,
    );
  });

  it('linear trend extrapolates a line exactly', () => {
    const f = linearTrend
      .fit(
        Float64Array.from({ length: 10 }, (_, i) => 2 * i + 1),
        { periods: [] },
      )
      .forecast(2);
    expect(f.mean[0]).toBeCloseTo(21, 9);
    expect(f.mean[1]).toBeCloseTo(23, 9);
  });

  it.each([holtWinters, sarima, mstl])(
    '%s beats naive on a seasonal series and returns finite intervals',
    (model) => {
      const f = model.fit(train, context).forecast(48);
      expect(accuracy(model)).toBeLessThan(accuracy(naive));
      expect(f.mean.every(Number.isFinite) && f.lower.every(Number.isFinite)).toBe(true);
      expect(
        f.lower.every(
          (l, i) => l <= (f.mean[i] as number) && (f.mean[i] as number) <= (f.upper[i] as number),
        ),
      ).toBe(true);
    },
  );

  it('auto ARIMA picks a model that follows an AR(1) process better than the mean', () => {
    const values = new Float64Array(400);
    const noise = seededNormal(3);
    for (let t = 1; t < 400; t++) values[t] = 0.8 * (values[t - 1] as number) + noise();
    const fitted = arima.fit(values, { periods: [] });
    expect(fitted.model).toMatch(/^arima\(/);
    const f = fitted.forecast(1);
    const ideal = 0.8 * (values[399] as number);
    expect(Math.abs((f.mean[0] as number) - ideal)).toBeLessThan(Math.abs((values[399] as number) - ideal));
  });

  it('ARIMA refuses orders the data cannot support', () => {
    expect(() =>
      fitArimaOrder(Float64Array.from([1, 2, 3, 4, 5]), { p: 2, d: 0, q: 1, P: 0, D: 0, Q: 0, s: 0 }),
    ).toThrow(InsufficientDataError);
  });

  it('Holt-Winters needs two cycles for a seasonal fit but falls back to a non-seasonal one', () => {
    const short = seasonalSeries(30);
    expect(holtWinters.fit(short, context).model).toMatch(/,N\)$/);
  });
});
