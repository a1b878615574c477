import type * as SimpleStatistics from 'simple-statistics' with { 'resolution-mode': 'import' };

// simple-statistics ships CommonJS (its "require" export) but types itself as an ES module only, which
// this CommonJS library cannot import under node16 resolution: the types come from the ES module,
// the code from the CommonJS build.
const {
  mean: ssMean,
  median: ssMedian,
  medianAbsoluteDeviation,
  quantile: ssQuantile,
  sampleVariance,
} = require('simple-statistics') as typeof SimpleStatistics;

/** Small numeric helpers shared by the models; inputs are assumed finite unless stated. */

/** Plain array view for simple-statistics, whose functions are typed for arrays (typed arrays are copied). */
function asArray(values: ArrayLike<number>, from = 0, to = values.length): number[] {
  return Array.isArray(values) && from === 0 && to === values.length
    ? (values as number[])
    : Array.prototype.slice.call(values, from, to);
}

/** Arithmetic mean of values[from, to); NaN when the range is empty. */
export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  return to > from ? ssMean(asArray(values, from, to)) : Number.NaN;
}

/** Sample variance (n − 1) of values[from, to); 0 below two values, where it is undefined. */
export function variance(values: ArrayLike<number>, from = 0, to = values.length): number {
  return to - from > 1 ? sampleVariance(asArray(values, from, to)) : 0;
}

/** Median; NaN for no values. */
export function median(values: ArrayLike<number>): number {
  return values.length > 0 ? ssMedian(asArray(values)) : Number.NaN;
}

/** Quantile with linear interpolation between order statistics (type 7, as simple-statistics 7 computes it). */
export function quantile(values: ArrayLike<number>, q: number): number {
  return values.length > 0 ? ssQuantile(asArray(values), q) : Number.NaN;
}

/** Median absolute deviation, scaled to estimate σ for normal data. */
export function mad(values: ArrayLike<number>): number {
  return values.length > 0 ? MAD_TO_SIGMA * medianAbsoluteDeviation(asArray(values)) : Number.NaN;
}

/** 1 / Φ⁻¹(0.75): the MAD of normal data times this estimates σ. */
const MAD_TO_SIGMA = 1.4826;

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const poly = (k: number[], x: number) => k.reduce((acc, coef) => acc * x + coef, 0);
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return poly(c, q) / (poly(d, q) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (poly(a, r) * q) / (poly(b, r) * r + 1);
}

/** Solves the linear system A·x = b (A square, row-major) by Gaussian elimination with partial pivoting; undefined if singular. */
export function solveLinear(matrix: number[][], rhs: number[]): number[] | undefined {
  const n = rhs.length;
  const a = matrix.map((row, i) => [...row, rhs[i] as number]);
  for (let col = 0; col < n; col++) {
    let pivot = col;
    for (let r = col + 1; r < n; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < 1e-12) return undefined;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    for (let r = col + 1; r < n; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let k = col; k <= n; k++) a[r]![k]! -= factor * a[col]![k]!;
    }
  }
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    let sum = a[r]![n]!;
    for (let k = r + 1; k < n; k++) sum -= a[r]![k]! * x[k]!;
    x[r] = sum / a[r]![r]!;
  }
  return x;
}

/** Ordinary least squares with a small ridge term for stability; rows are regressors per observation. */
export function leastSquares(
  rows: ArrayLike<number>[],
  target: ArrayLike<number>,
  ridge = 1e-8,
): number[] | undefined {
  const k = rows[0]?.length ?? 0;
  const xtx = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const xty = new Array<number>(k).fill(0);
  rows.forEach((row, t) => {
    for (let i = 0; i < k; i++) {
      xty[i]! += (row[i] as number) * (target[t] as number);
      for (let j = 0; j < k; j++) xtx[i]![j]! += (row[i] as number) * (row[j] as number);
    }
  });
  for (let i = 0; i < k; i++) xtx[i]![i]! += ridge * (1 + xtx[i]![i]!);
  return solveLinear(xtx, xty);
}
