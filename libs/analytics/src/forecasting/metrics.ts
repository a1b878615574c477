import { InvalidInputError } from '../core/errors';

/** Symmetric MAPE in percent as defined by the M4 competition (0..200). */
export function smape(actual: ArrayLike<number>, predicted: ArrayLike<number>): number {
  assertSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) {
    const a = actual[i] as number;
    const f = predicted[i] as number;
    const denominator = Math.abs(a) + Math.abs(f);
    sum += denominator === 0 ? 0 : (200 * Math.abs(a - f)) / denominator;
  }
  return sum / actual.length;
}

/** In-sample mean absolute error of the seasonal naive forecast with period m (MASE's scale). */
export function maseScale(history: ArrayLike<number>, period: number): number {
  const m = history.length > period ? period : 1;
  let sum = 0;
  for (let i = m; i < history.length; i++)
    sum += Math.abs((history[i] as number) - (history[i - m] as number));
  return sum / (history.length - m);
}

/** Mean absolute scaled error; `scale` is `maseScale(history, m)`. */
export function mase(actual: ArrayLike<number>, predicted: ArrayLike<number>, scale: number): number {
  assertSameLength(actual, predicted);
  let sum = 0;
  for (let i = 0; i < actual.length; i++) sum += Math.abs((actual[i] as number) - (predicted[i] as number));
  const mae = sum / actual.length;
  return scale > 0 ? mae / scale : mae === 0 ? 0 : Number.POSITIVE_INFINITY;
}

/** Overall weighted average of M4: mean sMAPE and mean MASE relative to Naive2's. */
export function owa(smapeValue: number, maseValue: number, naive2Smape: number, naive2Mase: number): number {
  return 0.5 * (smapeValue / naive2Smape + maseValue / naive2Mase);
}

/**
 * M4's Naive2: naive on the seasonally adjusted series, re-seasonalised. The series counts as
 * seasonal when its lag-m autocorrelation passes a 90 % test, as in the competition's code.
 */
export function naive2Forecast(history: ArrayLike<number>, horizon: number, period: number): Float64Array {
  const n = history.length;
  const indices = isSeasonalM4(history, period) ? multiplicativeIndices(history, period) : undefined;
  const last = (history[n - 1] as number) / (indices ? (indices[(n - 1) % period] as number) : 1);
  return Float64Array.from(
    { length: horizon },
    (_, h) => last * (indices ? (indices[(n + h) % period] as number) : 1),
  );
}

function isSeasonalM4(history: ArrayLike<number>, period: number): boolean {
  const n = history.length;
  if (period < 2 || n < 3 * period) return false;
  const acf = plainAcf(history, period);
  let sumSquares = 0;
  for (let i = 1; i < period; i++) sumSquares += (acf[i] as number) ** 2;
  const limit = 1.645 * Math.sqrt((1 + 2 * sumSquares) / n);
  return Math.abs(acf[period] as number) > limit;
}

function plainAcf(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += (x[i] as number) / n;
  let denominator = 0;
  for (let i = 0; i < n; i++) denominator += ((x[i] as number) - m) ** 2;
  return Float64Array.from({ length: maxLag + 1 }, (_, lag) => {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += ((x[i] as number) - m) * ((x[i - lag] as number) - m);
    return denominator > 0 ? sum / denominator : 0;
  });
}

/** Classical multiplicative decomposition: seasonal indices from ratios to a centred 2×m moving average. */
function multiplicativeIndices(history: ArrayLike<number>, period: number): Float64Array {
  const n = history.length;
  const sums = new Float64Array(period);
  const counts = new Float64Array(period);
  const half = Math.floor(period / 2);
  for (let t = half; t < n - half; t++) {
    let ma = 0;
    if (period % 2 === 0) {
      for (let k = -half; k <= half; k++)
        ma += ((history[t + k] as number) * (Math.abs(k) === half ? 0.5 : 1)) / period;
    } else {
      for (let k = -half; k <= half; k++) ma += (history[t + k] as number) / period;
    }
    if (ma === 0) continue;
    sums[t % period]! += (history[t] as number) / ma;
    counts[t % period]! += 1;
  }
  const raw = sums.map((s, i) => (counts[i]! > 0 ? s / (counts[i] as number) : 1));
  const average = raw.reduce((a, b) => a + b, 0) / period;
  return raw.map((v) => v / average);
}

function assertSameLength(a: ArrayLike<number>, b: ArrayLike<number>): void {
  if (a.length !== b.length || a.length === 0)
    throw new InvalidInputError(`series lengths differ or are empty (${a.length} vs ${b.length})`);
}
