/** Small numeric helpers shared by the models; inputs are assumed finite unless stated. */

export function mean(values: ArrayLike<number>, from = 0, to = values.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += values[i] as number;
  return to > from ? sum / (to - from) : Number.NaN;
}

export function variance(values: ArrayLike<number>, from = 0, to = values.length): number {
  const m = mean(values, from, to);
  let sum = 0;
  for (let i = from; i < to; i++) sum += ((values[i] as number) - m) ** 2;
  return to - from > 1 ? sum / (to - from - 1) : 0;
}

export function median(values: ArrayLike<number>): number {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Quantile with linear interpolation between order statistics (type 7). */
export function quantile(values: ArrayLike<number>, q: number): number {
  const sorted = Float64Array.from(values).sort();
  if (sorted.length === 0) return Number.NaN;
  const position = (sorted.length - 1) * q;
  const lower = Math.floor(position);
  const upper = Math.min(sorted.length - 1, lower + 1);
  return (
    (sorted[lower] as number) + ((sorted[upper] as number) - (sorted[lower] as number)) * (position - lower)
  );
}

/** Median absolute deviation, scaled to estimate σ for normal data. */
export function mad(values: ArrayLike<number>): number {
  const m = median(values);
  return 1.4826 * median(Float64Array.from(values, (v) => Math.abs(v - m)));
}

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
