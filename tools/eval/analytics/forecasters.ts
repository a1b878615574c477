import {
  arima,
  createSelector,
  holtWinters,
  linearTrend,
  mstl,
  naive,
  sarima,
  seasonalNaive,
  type Forecaster,
} from '@kailash/analytics';

/** The single models of the library, as evaluated on M4 Hourly. */
export function m4SingleModels(): Forecaster[] {
  return [naive, seasonalNaive(24), seasonalNaive(168), linearTrend, holtWinters, arima, sarima, mstl];
}

/** The pool the selector chooses from: every single model that is not hopeless on seasonal data is let in, validation decides. */
export function selectorPool(period: number, weekly: number): Forecaster[] {
  return [naive, seasonalNaive(period), seasonalNaive(weekly), holtWinters, sarima, mstl];
}

export function selectors(pool: Forecaster[], horizon: number): Forecaster[] {
  return [
    createSelector({ candidates: pool, validationHorizon: horizon, mode: 'best' }),
    createSelector({ candidates: pool, validationHorizon: horizon, mode: 'combine', topK: 3 }),
  ];
}
