import { ModelFitError } from '../../core/errors';
import { variance } from '../../core/stats';
import { autocorrelation } from '../seasonality';
import { gaussianForecast } from '../intervals';
import { DEFAULT_LEVEL, type FitContext, type FittedModel, type Forecaster } from '../types';
import {
  applyDifferencing,
  expandedAr,
  fitArimaOrder,
  formatOrder,
  type ArimaFit,
  type ArimaOrder,
} from './arima-core';

/** Point forecasts by running the expanded recursion forward with future innovations set to zero. */
export function arimaMean(fit: ArimaFit, horizon: number): Float64Array {
  const a = expandedAr(fit);
  const n = fit.history.length;
  const y = new Float64Array(n + horizon);
  y.set(fit.history);
  const e = new Float64Array(n + horizon);
  e.set(fit.innovations);
  for (let t = n; t < n + horizon; t++) {
    let value = fit.constant;
    for (let i = 0; i < a.length; i++) value += (a[i] as number) * (y[t - i - 1] ?? 0);
    for (const { lag, coef } of fit.ma) value += coef * (e[t - lag] ?? 0);
    y[t] = value;
  }
  return y.slice(n);
}

/** ψ-weights of the model on the original scale; the h-step variance is σ²·Σ_{j<h} ψ_j². */
export function psiWeights(fit: ArimaFit, count: number): Float64Array {
  const a = expandedAr(fit);
  const theta = new Map(fit.ma.map(({ lag, coef }) => [lag, coef]));
  const psi = new Float64Array(count);
  psi[0] = 1;
  for (let j = 1; j < count; j++) {
    let value = theta.get(j) ?? 0;
    for (let i = 1; i <= Math.min(j, a.length); i++) value += (a[i - 1] as number) * (psi[j - i] as number);
    psi[j] = value;
  }
  return psi;
}

export interface AutoArimaOptions {
  readonly maxP?: number;
  readonly maxQ?: number;
  /** Allow seasonal terms and seasonal differencing at the shortest detected period. */
  readonly seasonal?: boolean;
}

/**
 * Automatic order selection: differencing orders from simple unit-root heuristics (seasonal
 * autocorrelation, variance ratio), then the (p,q,P,Q) grid with the lowest AIC.
 */
export function autoArima(
  y: Float64Array,
  periods: readonly number[],
  options: AutoArimaOptions = {},
): ArimaFit {
  const { maxP = 3, maxQ = 2, seasonal = true } = options;
  const s = seasonal ? (periods.filter((p) => y.length >= 4 * p).sort((a, b) => a - b)[0] ?? 0) : 0;
  const D = s > 1 && (autocorrelation(y, s)[s] as number) > 0.3 ? 1 : 0;
  const afterSeasonal = applyDifferencing(y, { d: 0, D, s });
  const d =
    variance(applyDifferencing(afterSeasonal, { d: 1, D: 0, s })) < 0.2 * variance(afterSeasonal) ? 1 : 0;
  let best: ArimaFit | undefined;
  let lastError: unknown;
  for (const P of s > 1 ? [0, 1] : [0])
    for (const Q of s > 1 ? [0, 1] : [0])
      for (let p = 0; p <= maxP; p++)
        for (let q = 0; q <= maxQ; q++) {
          const order: ArimaOrder = { p, d, q, P, D, Q, s };
          try {
            const fit = fitArimaOrder(y, order);
            if (!best || fit.aic < best.aic) best = fit;
          } catch (error) {
            lastError = error;
          }
        }
  if (!best) throw new ModelFitError('no ARIMA order could be fitted', { cause: lastError });
  return best;
}

function toFitted(fit: ArimaFit): FittedModel {
  const model = `arima${formatOrder(fit.order)}`;
  return {
    model,
    forecast: (horizon, level = DEFAULT_LEVEL) => {
      const psi = psiWeights(fit, horizon);
      const cumulative = new Float64Array(horizon);
      let sum = 0;
      psi.forEach((w, j) => (cumulative[j] = sum += w * w));
      return gaussianForecast(
        model,
        arimaMean(fit, horizon),
        (h) => Math.sqrt(fit.sigma2 * (cumulative[h - 1] as number)),
        level,
      );
    },
  };
}

/** ARIMA with automatic order selection, non-seasonal. */
export const arima: Forecaster = {
  name: 'arima',
  fit: (history: Float64Array, context: FitContext) =>
    toFitted(autoArima(history, context.periods, { seasonal: false })),
};

/** SARIMA with automatic order selection at the shortest detected period. */
export const sarima: Forecaster = {
  name: 'sarima',
  fit: (history: Float64Array, context: FitContext) =>
    toFitted(autoArima(history, context.periods, { seasonal: true })),
};
