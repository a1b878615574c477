import { mad, median } from '../core/stats';
import { fitLine } from '../forecasting/models/linear-trend';
import { prepareHistory } from '../forecasting/prepare';
import { detectSeasonality } from '../forecasting/seasonality';
import { decompose } from '../forecasting/models/mstl';
import { clamp01, type PatternFinding } from './types';

const MIN_POINTS = 24;

/** Strongest seasonal period, if its autocorrelation is clear. */
export function detectPeriodic(input: ArrayLike<number>, maxPeriod?: number): PatternFinding | undefined {
  const { values } = prepareHistory(input, MIN_POINTS);
  const found = detectSeasonality(values, { maxPeriod, minStrength: 0.3 });
  const strongest = [...found].sort((a, b) => b.strength - a.strength)[0];
  if (!strongest) return undefined;
  return {
    kind: 'periodic',
    confidence: clamp01((strongest.strength - 0.3) / 0.4),
    description: `repeats every ${strongest.period} steps (autocorrelation ${strongest.strength.toFixed(2)})`,
    evidence: { period: strongest.period, strength: strongest.strength, periods: found.map((p) => p.period) },
  };
}

/** Isolated points far from the seasonal-adjusted median, in robust σ. */
export function detectSpikes(
  input: ArrayLike<number>,
  options: { minZ?: number; periods?: readonly number[] } = {},
): PatternFinding | undefined {
  const { values } = prepareHistory(input, MIN_POINTS);
  const minZ = options.minZ ?? 6;
  const periods = options.periods ?? detectSeasonality(values).map((p) => p.period);
  const adjusted = periods.length > 0 ? decompose(values, periods).deseasonalised : values;
  const differences = Float64Array.from(
    { length: adjusted.length - 1 },
    (_, i) => (adjusted[i + 1] as number) - (adjusted[i] as number),
  );
  // Noise from first differences: trends and level shifts barely move it, unlike the MAD of the values.
  const sigma = Math.max(mad(differences) / Math.SQRT2, 1e-9 * Math.max(1, Math.abs(median(adjusted))));
  const spikes: number[] = [];
  const zs: number[] = [];
  adjusted.forEach((v, i) => {
    // A spike differs from the values on both sides; a level shift matches one side.
    const left = i > 0 ? median(adjusted.subarray(Math.max(0, i - 6), i)) : Number.NaN;
    const right = i + 1 < adjusted.length ? median(adjusted.subarray(i + 1, i + 7)) : Number.NaN;
    const sides = [left, right].filter(Number.isFinite).map((m) => v - m);
    const z = sides.reduce((a, b) => (Math.abs(b) < Math.abs(a) ? b : a)) / sigma;
    const neighbours = [adjusted[i - 1], adjusted[i + 1]].filter((n): n is number => n !== undefined);
    const isolated = neighbours.every((n) => Math.abs(v - n) / sigma >= minZ / 2);
    if (Math.abs(z) >= minZ && isolated) {
      spikes.push(i);
      zs.push(z);
    }
  });
  if (spikes.length === 0 || spikes.length > Math.max(3, values.length * 0.01)) return undefined;
  const strongest = Math.max(...zs.map(Math.abs));
  return {
    kind: 'spike',
    confidence: clamp01((strongest - minZ) / minZ + 0.5),
    description: `${spikes.length} spike(s), up to ${strongest.toFixed(1)} robust σ`,
    evidence: { indices: spikes, zScores: zs, sigma },
  };
}

/** Linear trend with a confidence that accounts for autocorrelated residuals, and a prediction. */
export function analyseTrend(
  input: ArrayLike<number>,
  horizon: number,
): PatternFinding & {
  readonly prediction: {
    readonly at: number;
    readonly value: number;
    readonly lower: number;
    readonly upper: number;
  };
} {
  const { values } = prepareHistory(input, 3);
  const n = values.length;
  const line = fitLine(values);
  const residuals = Float64Array.from(values, (v, i) => v - (line.intercept + line.slope * i));
  const r1 = lagOneCorrelation(residuals);
  const effectiveN = Math.max(3, (n * (1 - r1)) / (1 + r1));
  const tStatistic = line.slope / (line.slopeStandardError * Math.sqrt(n / effectiveN));
  const at = n - 1 + horizon;
  const value = line.intercept + line.slope * at;
  const spread = 1.96 * line.sigma * Math.sqrt(1 + 1 / effectiveN + (at - line.tMean) ** 2 / line.sxx);
  return {
    kind: 'trend',
    confidence: clamp01(1 - 2 / Math.max(Math.abs(tStatistic), 1e-9)),
    description: `slope ${line.slope.toPrecision(3)} per step (R² ${line.rSquared.toFixed(2)}), ${value.toPrecision(4)} expected ${horizon} steps ahead`,
    evidence: {
      slope: line.slope,
      intercept: line.intercept,
      rSquared: line.rSquared,
      tStatistic,
      effectiveN,
    },
    prediction: { at, value, lower: value - spread, upper: value + spread },
  };
}

/** Gradual growth: a significant positive trend that moves the level by a meaningful share. */
export function detectGrowth(input: ArrayLike<number>, minRelativeChange = 0.2): PatternFinding | undefined {
  const { values } = prepareHistory(input, MIN_POINTS);
  const trend = analyseTrend(values, 0);
  const slope = trend.evidence['slope'] as number;
  const t = trend.evidence['tStatistic'] as number;
  const level = Math.max(Math.abs(median(values)), 1e-9);
  const relativeChange = (slope * values.length) / level;
  if (slope <= 0 || t < 3 || relativeChange < minRelativeChange || stepDominates(values)) return undefined;
  return {
    kind: 'growth',
    confidence: clamp01(((t - 3) / 5) * 0.5 + Math.min(relativeChange, 1) * 0.5),
    description: `grows ${(relativeChange * 100).toFixed(0)} % over the series (t ${t.toFixed(1)})`,
    evidence: { slope, tStatistic: t, relativeChange },
  };
}

/** A single abrupt change of level, located by the best two-segment split. */
export function detectLevelShift(
  input: ArrayLike<number>,
  periods?: readonly number[],
): PatternFinding | undefined {
  const prepared = prepareHistory(input, MIN_POINTS).values;
  const found = periods ?? detectSeasonality(prepared).map((p) => p.period);
  const values = found.length > 0 ? decompose(prepared, found).deseasonalised : prepared;
  const split = bestSplit(values);
  if (!split || split.separation < 4 || !isStep(values)) return undefined;
  return {
    kind: 'level-shift',
    confidence: clamp01((split.separation - 4) / 6 + 0.5),
    description: `level moves from ${split.before.toPrecision(4)} to ${split.after.toPrecision(4)} at step ${split.index}`,
    evidence: { index: split.index, before: split.before, after: split.after, separation: split.separation },
  };
}

/** Imbalance across a set of series: coefficient of variation of their means (the ported analyser flags CV > 0.5). */
export function detectImbalance(
  series: readonly ArrayLike<number>[],
  threshold = 0.5,
): PatternFinding | undefined {
  const means = series
    .map((s) => prepareHistory(s, 1).values)
    .map((v) => v.reduce((a, b) => a + b, 0) / v.length);
  if (means.length < 2) return undefined;
  const average = means.reduce((a, b) => a + b, 0) / means.length;
  const sd = Math.sqrt(means.reduce((sum, m) => sum + (m - average) ** 2, 0) / means.length);
  const cv = Math.abs(average) > 0 ? sd / Math.abs(average) : 0;
  if (cv <= threshold) return undefined;
  const busiest = means.indexOf(Math.max(...means));
  return {
    kind: 'imbalance',
    confidence: clamp01((cv - threshold) / threshold + 0.5),
    description: `load is uneven: coefficient of variation ${cv.toFixed(2)} across ${means.length} series, busiest #${busiest}`,
    evidence: { coefficientOfVariation: cv, means, busiest },
  };
}

/** All single-series patterns that pass their tests. */
export function findPatterns(
  input: ArrayLike<number>,
  options: { maxPeriod?: number } = {},
): PatternFinding[] {
  const { values } = prepareHistory(input, MIN_POINTS);
  const periodic = detectPeriodic(values, options.maxPeriod);
  const periods = (periodic?.evidence['periods'] as readonly number[] | undefined) ?? [];
  return [
    periodic,
    detectSpikes(values, { periods }),
    detectGrowth(values),
    detectLevelShift(values, periods),
  ].filter((f): f is PatternFinding => f !== undefined);
}

function bestSplit(
  values: Float64Array,
): { index: number; before: number; after: number; separation: number } | undefined {
  const n = values.length;
  const minSegment = Math.max(5, Math.floor(n * 0.1));
  const prefix = new Float64Array(n + 1);
  values.forEach((v, i) => (prefix[i + 1] = (prefix[i] as number) + v));
  let best: { index: number; gain: number } | undefined;
  for (let k = minSegment; k <= n - minSegment; k++) {
    const left = (prefix[k] as number) / k;
    const right = ((prefix[n] as number) - (prefix[k] as number)) / (n - k);
    const gain = (k * (n - k) * (left - right) ** 2) / n;
    if (!best || gain > best.gain) best = { index: k, gain };
  }
  if (!best) return undefined;
  const before = median(values.subarray(0, best.index));
  const after = median(values.subarray(best.index));
  const noise = Math.max(
    mad(Float64Array.from({ length: n - 1 }, (_, i) => (values[i + 1] as number) - (values[i] as number))) /
      Math.SQRT2,
    1e-9 * Math.max(1, Math.abs(before)),
  );
  return { index: best.index, before, after, separation: Math.abs(after - before) / noise };
}

/** Sums of squared errors of a line, a step, and a step plus a line, for the best split. */
function fitComparison(
  values: Float64Array,
): { line: number; step: number; stepAndLine: number } | undefined {
  const split = bestSplit(values);
  if (!split) return undefined;
  const line = fitLine(values);
  const afterStep = Float64Array.from(values, (v, i) => v - (i < split.index ? split.before : split.after));
  const residualLine = fitLine(afterStep);
  let lineSse = 0;
  let stepSse = 0;
  let bothSse = 0;
  values.forEach((v, i) => {
    lineSse += (v - (line.intercept + line.slope * i)) ** 2;
    stepSse += (afterStep[i] as number) ** 2;
    bothSse += ((afterStep[i] as number) - (residualLine.intercept + residualLine.slope * i)) ** 2;
  });
  return { line: lineSse, step: stepSse, stepAndLine: bothSse };
}

/** A step (with or without an accompanying trend) explains the series clearly better than a line alone. */
function isStep(values: Float64Array): boolean {
  const fit = fitComparison(values);
  return fit !== undefined && fit.stepAndLine < 0.7 * fit.line;
}

/** A pure step explains the series better than a line: the "growth" is really one jump. */
function stepDominates(values: Float64Array): boolean {
  const fit = fitComparison(values);
  return fit !== undefined && fit.step < fit.line;
}

function lagOneCorrelation(x: Float64Array): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < x.length; i++) {
    den += (x[i] as number) ** 2;
    if (i > 0) num += (x[i] as number) * (x[i - 1] as number);
  }
  return den > 0 ? Math.max(-0.99, Math.min(0.99, num / den)) : 0;
}
