import { mean } from '../core/stats';

/** A seasonal period found in the data, with the autocorrelation at that lag as its strength. */
export interface DetectedPeriod {
  readonly period: number;
  readonly strength: number;
}

export interface SeasonalityOptions {
  /** Longest period to look for, in steps (default: a third of the series). */
  readonly maxPeriod?: number;
  /** Minimum autocorrelation for a period to count (default 0.2). */
  readonly minStrength?: number;
  /** At most this many periods are returned (default 3). */
  readonly maxPeriods?: number;
}

/** Sample autocorrelation of a linearly detrended copy, lags 0..maxLag. */
export function autocorrelation(values: ArrayLike<number>, maxLag: number): Float64Array {
  const n = values.length;
  const x = detrend(values);
  let denominator = 0;
  for (let i = 0; i < n; i++) denominator += (x[i] as number) ** 2;
  const acf = new Float64Array(maxLag + 1);
  if (denominator === 0) return acf;
  for (let lag = 0; lag <= maxLag; lag++) {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += (x[i] as number) * (x[i - lag] as number);
    acf[lag] = sum / denominator;
  }
  return acf;
}

/**
 * Finds seasonal periods from autocorrelation peaks. A multiple of an accepted period is itself
 * accepted only when its autocorrelation rises above its neighbouring multiples — that is what
 * separates a weekly cycle (168 h stands out above 144 h and 192 h) from a daily cycle's harmonics.
 */
export function detectSeasonality(
  values: ArrayLike<number>,
  options: SeasonalityOptions = {},
): DetectedPeriod[] {
  const n = values.length;
  const maxLag = Math.min(options.maxPeriod ?? Math.floor(n / 3), Math.floor(n / 2) - 1);
  if (maxLag < 4) return [];
  const acf = autocorrelation(values, maxLag + Math.ceil(maxLag / 2));
  const minStrength = Math.max(options.minStrength ?? 0.2, 2 / Math.sqrt(n));
  const accepted: DetectedPeriod[] = [];
  for (let lag = 2; lag <= maxLag; lag++) {
    if (!isProminentPeak(acf, lag, minStrength)) continue;
    const base = accepted.find((p) => isNearMultiple(lag, p.period));
    if (base && !risesAboveHarmonics(acf, lag, base.period)) continue;
    if (accepted.some((p) => Math.abs(p.period - lag) <= 1)) continue;
    accepted.push({ period: lag, strength: acf[lag] as number });
  }
  return accepted
    .sort((a, b) => b.strength - a.strength)
    .slice(0, options.maxPeriods ?? 3)
    .sort((a, b) => a.period - b.period);
}

function isProminentPeak(acf: Float64Array, lag: number, minStrength: number): boolean {
  const value = acf[lag] as number;
  if (value < minStrength || value < (acf[lag - 1] as number) || value < (acf[lag + 1] ?? -1)) return false;
  let trough = value;
  for (let k = Math.ceil(lag / 2); k < lag; k++) trough = Math.min(trough, acf[k] as number);
  return value - trough >= 0.1;
}

function isNearMultiple(lag: number, period: number): boolean {
  const k = Math.round(lag / period);
  return k >= 2 && Math.abs(lag - k * period) <= Math.max(1, Math.round(period * 0.02));
}

function risesAboveHarmonics(acf: Float64Array, lag: number, period: number): boolean {
  const below = acf[lag - period] as number;
  const above = acf[lag + period];
  return (acf[lag] as number) > below + 0.05 && (above === undefined || (acf[lag] as number) > above + 0.05);
}

function detrend(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const tMean = (n - 1) / 2;
  const yMean = mean(values);
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (i - tMean) * ((values[i] as number) - yMean);
    sxx += (i - tMean) ** 2;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  return Float64Array.from({ length: n }, (_, i) => (values[i] as number) - yMean - slope * (i - tMean));
}
