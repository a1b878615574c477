import { InvalidInputError } from '../core/errors';
import { guardedForecast } from './guarded';
import { holtWinters } from './models/ets';
import { mstl } from './models/mstl';
import { sarima } from './models/arima';
import { prepareHistory } from './prepare';
import { createSelector } from './selector';
import { naive, seasonalNaive } from './models/naive';
import { seasonalSeries } from '../../test/seasonal-series';
import type { Forecaster } from './types';

const allModels = [holtWinters, sarima, mstl];

describe('guarded forecasting', () => {
  it('forecasts a constant series as the constant, with a note', () => {
    const f = guardedForecast(new Array(50).fill(7), 5, { models: allModels });
    expect(Array.from(f.mean)).toEqual([7, 7, 7, 7, 7]);
    expect(f.notes.join()).toMatch(/constant/);
  });

  it('bridges gaps and NaN and never returns NaN', () => {
    const values: (number | null)[] = Array.from(seasonalSeries(24 * 10));
    values[5] = Number.NaN;
    values[50] = null;
    values[51] = Number.POSITIVE_INFINITY;
    const f = guardedForecast(values, 24, { models: allModels, periods: [24] });
    expect(f.mean.every(Number.isFinite)).toBe(true);
    expect(f.notes.join()).toMatch(/interpolated 3 missing values/);
  });

  it('falls back through the chain on tiny history and says so', () => {
    const f = guardedForecast([1, 2, 3], 4, { models: allModels });
    expect(f.model).toBe('naive');
    expect(f.notes.some((n) => n.startsWith('holt-winters not used'))).toBe(true);
    expect(f.mean.every(Number.isFinite)).toBe(true);
  });

  it('rejects a model whose forecast explodes', () => {
    const exploding: Forecaster = {
      name: 'exploding',
      fit: () => ({
        model: 'exploding',
        forecast: (h) => ({
          model: 'exploding',
          mean: new Float64Array(h).fill(1e12),
          lower: new Float64Array(h),
          upper: new Float64Array(h).fill(1e13),
          level: 0.95,
          notes: [],
        }),
      }),
    };
    const f = guardedForecast(seasonalSeries(100), 3, { models: [exploding], periods: [24] });
    expect(f.model).toBe('seasonal-naive(24)');
    expect(f.notes.join()).toMatch(/exploding not used: forecast exploded/);
  });

  it('rejects a history with no finite values', () => {
    expect(() => prepareHistory([Number.NaN, Number.NaN])).toThrow(InvalidInputError);
  });

  it('detects the season itself when none is given', () => {
    const f = guardedForecast(seasonalSeries(24 * 20), 24, { models: [seasonalNaive()] });
    expect(f.model).toBe('seasonal-naive(24)');
  });
});

describe('selector', () => {
  const series = seasonalSeries(24 * 30);
  it('chooses the seasonal model on seasonal data and reports its validation', () => {
    const selector = createSelector({
      candidates: [naive, seasonalNaive(24), mstl],
      validationHorizon: 24,
      mode: 'best',
    });
    const f = selector.fit(series, { periods: [24] }).forecast(24);
    expect(f.model).not.toBe('naive');
    expect(f.notes.join()).toMatch(/validation MASE: naive/);
  });

  it('combines the top models with weights that sum to one', () => {
    const ensemble = createSelector({
      candidates: [naive, seasonalNaive(24), mstl],
      validationHorizon: 24,
      topK: 2,
    });
    const model = ensemble.fit(series, { periods: [24] }).model;
    const weights = [...model.matchAll(/:(\d\.\d\d)/g)].map((m) => Number(m[1]));
    expect(weights).toHaveLength(2);
    expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 1);
  });

  it('throws a typed error when no candidate can be validated', () => {
    const selector = createSelector({ candidates: [seasonalNaive(1000)], validationHorizon: 24 });
    expect(() => selector.fit(series, { periods: [] })).toThrow(/no candidate passed validation/);
  });
});
