import { AnalyticsError } from '../core/errors';
import { isConstant, prepareHistory } from './prepare';
import { detectSeasonality } from './seasonality';
import { naive, seasonalNaive } from './models/naive';
import { DEFAULT_LEVEL, type FitContext, type Forecast, type Forecaster } from './types';

export interface GuardedForecastOptions {
  /** Models to try in order; the first whose fit and output pass the checks is used. */
  readonly models: readonly Forecaster[];
  readonly level?: number;
  /** Seasonal periods; detected from the data when omitted. */
  readonly periods?: readonly number[];
  /** Longest period the detector may report (defaults to a third of the history). */
  readonly maxPeriod?: number;
}

/** Output further than this many history ranges from the last value is treated as an exploded fit. */
const EXPLOSION_RANGES = 10;

/**
 * Forecasts with the first model that works. Every failure — too little data, a fit error,
 * non-finite or exploding output — moves on to the next model, then to seasonal naive and naive,
 * and is recorded in `notes` so callers can report which model really produced the numbers.
 */
export function guardedForecast(
  input: ArrayLike<number | null | undefined>,
  horizon: number,
  options: GuardedForecastOptions,
): Forecast {
  const level = options.level ?? DEFAULT_LEVEL;
  const { values, notes } = prepareHistory(input, 1);
  if (isConstant(values)) {
    const flat = naive.fit(values, { periods: [] }).forecast(horizon, level);
    return { ...flat, notes: [...notes, 'constant history: forecasting the constant'] };
  }
  const periods =
    options.periods ?? detectSeasonality(values, { maxPeriod: options.maxPeriod }).map((p) => p.period);
  const context: FitContext = { periods };
  const chain = [...options.models, seasonalNaive(), naive];
  for (const model of chain) {
    const outcome = tryModel(model, values, context, horizon, level);
    if (typeof outcome !== 'string') return { ...outcome, notes: [...notes, ...outcome.notes] };
    notes.push(`${model.name} not used: ${outcome}`);
  }
  throw new AnalyticsError(`no model could forecast: ${notes.join('; ')}`);
}

/** The forecast, or the reason it was rejected. */
function tryModel(
  model: Forecaster,
  values: Float64Array,
  context: FitContext,
  horizon: number,
  level: number,
): Forecast | string {
  try {
    const forecast = model.fit(values, context).forecast(horizon, level);
    const problem = outputProblem(forecast, values);
    return problem ?? forecast;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

export function outputProblem(forecast: Forecast, history: Float64Array): string | undefined {
  const all = [forecast.mean, forecast.lower, forecast.upper];
  if (all.some((series) => series.some((v) => !Number.isFinite(v)))) return 'non-finite output';
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  history.forEach((v) => ((min = Math.min(min, v)), (max = Math.max(max, v))));
  const range = Math.max(max - min, 1e-9);
  const last = history[history.length - 1] as number;
  if (forecast.mean.some((v) => Math.abs(v - last) > EXPLOSION_RANGES * range))
    return 'forecast exploded beyond the history range';
  return undefined;
}
