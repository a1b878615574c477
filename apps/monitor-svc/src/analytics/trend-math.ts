import {
  analyseTrend,
  createSelector,
  cusumDetector,
  detectLevelShift,
  fitLine,
  guardedForecast,
  holtWinters,
  linearTrend,
  naive,
  prepareHistory,
} from '@kailash/analytics';

/** Fewest non-empty steps a trend is computed from. */
export const MIN_TREND_POINTS = 10;
const Z95 = 1.96;
const CHANGE_POINT_SPAN = 30;
const MAX_CHANGE_POINTS = 10;

export interface TrendMath {
  readonly points: number;
  readonly last: number;
  readonly movingAverages: { short: number; medium: number; long: number; ewma: number };
  /** Per step. */
  readonly slope: { value: number; lower: number; upper: number; rSquared: number };
  /** Step index in the input grid, with the levels either side. */
  readonly changePoints: { index: number; before: number; after: number; method: string }[];
  /** At `horizonSteps` past the last grid step. */
  readonly forecast: { value: number; lower: number; upper: number; model: string; notes: string[] };
}

/**
 * Trend of a series on a regular grid (NaN for empty steps, bridged by interpolation): moving
 * averages, the least-squares slope with a 95 % interval whose standard error is widened for
 * autocorrelated residuals (the effective sample size of libs/analytics' trend analysis), change
 * points (CUSUM alarms and the best single level shift), and a forecast from the model selector.
 */
export function trendOf(grid: readonly number[], horizonSteps: number): TrendMath | undefined {
  const first = grid.findIndex(Number.isFinite);
  if (first < 0 || grid.filter(Number.isFinite).length < MIN_TREND_POINTS) return undefined;
  const { values } = prepareHistory(grid.slice(first), MIN_TREND_POINTS);
  const v = Array.from(values);
  // The grid's trailing empty steps were dropped: the forecast reaches past them too.
  const trailing = grid.length - first - v.length;
  return {
    points: grid.filter(Number.isFinite).length,
    last: v[v.length - 1] as number,
    movingAverages: {
      short: meanOfLast(v, 5),
      medium: meanOfLast(v, 15),
      long: meanOfLast(v, 60),
      ewma: ewma(v, 0.1),
    },
    slope: slopeOf(v),
    changePoints: changePointsOf(v).map((c) => ({ ...c, index: c.index + first })),
    forecast: forecastOf(values, horizonSteps + trailing),
  };
}

function meanOfLast(values: readonly number[], n: number): number {
  const tail = values.slice(-n);
  return tail.reduce((a, b) => a + b, 0) / tail.length;
}

function ewma(values: readonly number[], alpha: number): number {
  return values.slice(1).reduce((level, value) => level + alpha * (value - level), values[0] as number);
}

function slopeOf(values: readonly number[]): TrendMath['slope'] {
  const line = fitLine(values);
  const trend = analyseTrend(values, 0);
  const effectiveN = trend.evidence['effectiveN'] as number;
  const se = line.slopeStandardError * Math.sqrt(values.length / effectiveN);
  const spread = Number.isFinite(se) ? Z95 * se : 0;
  return {
    value: line.slope,
    lower: line.slope - spread,
    upper: line.slope + spread,
    rSquared: Number.isFinite(line.rSquared) ? line.rSquared : 0,
  };
}

function changePointsOf(values: readonly number[]): TrendMath['changePoints'] {
  const found: TrendMath['changePoints'] = [];
  const detector = cusumDetector({ warmup: Math.min(30, Math.floor(values.length / 3)) });
  // A CUSUM score reaches 0.5 exactly when its statistic crosses the decision interval (an alarm).
  values.forEach((value, index) => {
    if (detector.update(value) >= 0.5) found.push({ index, ...levelsAround(values, index), method: 'cusum' });
  });
  try {
    const shift = detectLevelShift(values, []);
    if (shift) {
      const index = shift.evidence['index'] as number;
      const before = shift.evidence['before'] as number;
      const after = shift.evidence['after'] as number;
      found.push({ index, before, after, method: 'level-shift' });
    }
  } catch {
    // Too short for a level-shift split: CUSUM alarms alone.
  }
  return found
    .filter((c) => Number.isFinite(c.before) && Number.isFinite(c.after))
    .sort((a, b) => a.index - b.index)
    .slice(-MAX_CHANGE_POINTS);
}

function levelsAround(values: readonly number[], index: number): { before: number; after: number } {
  const before = values.slice(Math.max(0, index - CHANGE_POINT_SPAN), index);
  const after = values.slice(index, index + CHANGE_POINT_SPAN);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  return { before: mean(before), after: mean(after) };
}

function forecastOf(values: Float64Array, horizon: number): TrendMath['forecast'] {
  const validationHorizon = Math.max(1, Math.min(horizon, Math.floor(values.length / 5)));
  const selector = createSelector({
    candidates: [naive, linearTrend, holtWinters],
    validationHorizon,
    mode: 'best',
  });
  const forecast = guardedForecast(values, horizon, { models: [selector, linearTrend], periods: [] });
  const at = horizon - 1;
  return {
    value: forecast.mean[at] as number,
    lower: forecast.lower[at] as number,
    upper: forecast.upper[at] as number,
    model: forecast.model,
    notes: [...forecast.notes],
  };
}
