import {
  arima,
  createSelector,
  horizonBenchmark,
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

/** Validation origins of the shrunk selectors. */
export const SHRUNK_ORIGINS = 6;

/**
 * Selector and ensemble validated on more origins, spread evenly over the last `span` steps (so
 * long horizons get overlapping validation blocks and keep most of the history to fit on), whose
 * choice is shrunk toward the horizon's benchmark when the evidence that it beats it is weak.
 */
export function shrunkSelectors(
  pool: Forecaster[],
  horizon: number,
  span: number,
  period: number,
): Forecaster[] {
  const baselines = [horizonBenchmark(horizon, period)];
  return (['best', 'combine'] as const).map((mode) => {
    const selector = createSelector({
      candidates: pool,
      validationHorizon: horizon,
      origins: SHRUNK_ORIGINS,
      originSpacing: Math.ceil(span / SHRUNK_ORIGINS),
      mode,
      ...(mode === 'combine' ? { topK: 3 } : {}),
      shrinkTowards: baselines,
    });
    const name = `${mode === 'best' ? 'selector' : 'ensemble'}, ${SHRUNK_ORIGINS} origins, shrunk`;
    return { name, fit: (history, context) => selector.fit(history, context) };
  });
}
