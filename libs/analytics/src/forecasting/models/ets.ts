import { InsufficientDataError, ModelFitError } from '../../core/errors';
import { nelderMead, squash } from '../../core/optimize';
import { mean } from '../../core/stats';
import { gaussianForecast } from '../intervals';
import { DEFAULT_LEVEL, type FitContext, type FittedModel, type Forecaster } from '../types';

/** Additive-error exponential smoothing: level, optional damped trend, optional additive season. */
export interface EtsSpec {
  readonly trend: boolean;
  readonly period: number;
}

interface EtsParams {
  readonly alpha: number;
  readonly beta: number;
  readonly gamma: number;
  readonly phi: number;
}

interface EtsState {
  level: number;
  trend: number;
  season: Float64Array;
}

export interface EtsFit {
  readonly spec: EtsSpec;
  readonly params: EtsParams;
  readonly state: EtsState;
  readonly sigma: number;
  readonly aic: number;
  /** Position in the seasonal ring of the first forecast step. */
  readonly nextSeasonIndex: number;
}

function initialState(y: Float64Array, spec: EtsSpec): EtsState {
  const m = spec.period;
  if (m < 2)
    return {
      level: y[0] as number,
      trend: spec.trend
        ? ((y[Math.min(y.length - 1, 4)] as number) - (y[0] as number)) / Math.min(y.length - 1, 4)
        : 0,
      season: new Float64Array(1),
    };
  const cycles = Math.min(3, Math.floor(y.length / m));
  const season = new Float64Array(m);
  for (let c = 0; c < cycles; c++) {
    const cycleMean = mean(y, c * m, (c + 1) * m);
    for (let i = 0; i < m; i++) season[i]! += ((y[c * m + i] as number) - cycleMean) / cycles;
  }
  const trend = spec.trend && cycles >= 2 ? (mean(y, m, 2 * m) - mean(y, 0, m)) / m : 0;
  return { level: mean(y, 0, m) - (trend * (m - 1)) / 2, trend, season };
}

/** Runs the smoothing recursions; returns the sum of squared one-step errors and the final state. */
function filter(y: Float64Array, spec: EtsSpec, p: EtsParams): { sse: number; state: EtsState } {
  const state = initialState(y, spec);
  const m = Math.max(1, spec.period);
  const seasonal = spec.period >= 2;
  let sse = 0;
  for (let t = 0; t < y.length; t++) {
    const s = seasonal ? (state.season[t % m] as number) : 0;
    const damped = spec.trend ? p.phi * state.trend : 0;
    const error = (y[t] as number) - (state.level + damped + s);
    sse += error * error;
    state.level = state.level + damped + p.alpha * error;
    if (spec.trend) state.trend = damped + p.beta * error;
    if (seasonal) state.season[t % m] = s + p.gamma * error;
  }
  return { sse, state };
}

function decode(x: number[], spec: EtsSpec): EtsParams {
  const alpha = squash(x[0] ?? 0, 0.0001, 0.9999);
  return {
    alpha,
    beta: spec.trend ? alpha * squash(x[1] ?? 0, 0.0001, 0.9999) : 0,
    gamma: spec.period >= 2 ? (1 - alpha) * squash(x[2] ?? 0, 0.0001, 0.9999) : 0,
    phi: spec.trend ? squash(x[3] ?? 0, 0.8, 0.98) : 1,
  };
}

/** Fits one ETS specification by minimising the one-step squared error. */
export function fitEts(y: Float64Array, spec: EtsSpec): EtsFit {
  const needed = spec.period >= 2 ? 2 * spec.period + 2 : 6;
  if (y.length < needed)
    throw new InsufficientDataError(
      `ETS(period ${spec.period}) needs at least ${needed} values, got ${y.length}`,
    );
  const best = nelderMead((x) => filter(y, spec, decode(x, spec)).sse, [-1, -2, -2, 1], {
    maxIterations: 120,
  });
  const params = decode(best.x, spec);
  const { sse, state } = filter(y, spec, params);
  if (!Number.isFinite(sse)) throw new ModelFitError('ETS filter diverged');
  const n = y.length;
  const parameterCount = 1 + (spec.trend ? 3 : 0) + (spec.period >= 2 ? spec.period : 0) + 1;
  const sigma = Math.sqrt(sse / n);
  return {
    spec,
    params,
    state,
    sigma,
    aic: n * Math.log(Math.max(sse / n, 1e-300)) + 2 * parameterCount,
    nextSeasonIndex: n % Math.max(1, spec.period),
  };
}

/** Point forecasts of a fitted ETS model. */
export function etsMean(fit: EtsFit, horizon: number): Float64Array {
  const { state, params, spec } = fit;
  const m = Math.max(1, spec.period);
  let dampedSum = 0;
  return Float64Array.from({ length: horizon }, (_, h) => {
    dampedSum += spec.trend ? params.phi ** (h + 1) : 0;
    const s = spec.period >= 2 ? (state.season[(fit.nextSeasonIndex + h) % m] as number) : 0;
    return state.level + dampedSum * state.trend + s;
  });
}

/** Forecast standard deviation at step h for the additive-error model (Hyndman et al., class 1). */
export function etsSigma(fit: EtsFit, h: number): number {
  const { alpha, beta, gamma, phi } = fit.params;
  let variance = 1;
  for (let j = 1; j < h; j++) {
    const trendPart = fit.spec.trend ? (beta * phi * (1 - phi ** j)) / (1 - phi) : 0;
    const seasonPart = fit.spec.period >= 2 && j % fit.spec.period === 0 ? gamma : 0;
    variance += (alpha + trendPart + seasonPart) ** 2;
  }
  return fit.sigma * Math.sqrt(variance);
}

/** Picks the specification with the lowest AIC among the candidates that can be fitted. */
export function fitBestEts(y: Float64Array, specs: readonly EtsSpec[]): EtsFit {
  let best: EtsFit | undefined;
  let lastError: unknown;
  for (const spec of specs) {
    try {
      const fit = fitEts(y, spec);
      if (!best || fit.aic < best.aic) best = fit;
    } catch (error) {
      lastError = error;
    }
  }
  if (!best) throw new ModelFitError('no ETS specification could be fitted', { cause: lastError });
  return best;
}

function describe(spec: EtsSpec): string {
  return `ets(A,${spec.trend ? 'Ad' : 'N'},${spec.period >= 2 ? `A${spec.period}` : 'N'})`;
}

/** Holt-Winters / ETS with automatic choice of trend and season by AIC; the season is the strongest detected period. */
export const holtWinters: Forecaster = {
  name: 'holt-winters',
  fit(history: Float64Array, context: FitContext): FittedModel {
    const period = context.periods.find((p) => history.length >= 2 * p + 2) ?? 0;
    const specs: EtsSpec[] = [false, true].flatMap((trend) =>
      period >= 2
        ? [
            { trend, period },
            { trend, period: 0 },
          ]
        : [{ trend, period: 0 }],
    );
    const fit = fitBestEts(history, specs);
    return toFittedModel(describe(fit.spec), fit);
  },
};

export function toFittedModel(model: string, fit: EtsFit): FittedModel {
  return {
    model,
    forecast: (horizon, level = DEFAULT_LEVEL) =>
      gaussianForecast(model, etsMean(fit, horizon), (h) => etsSigma(fit, h), level),
  };
}

export const etsModelName = describe;
