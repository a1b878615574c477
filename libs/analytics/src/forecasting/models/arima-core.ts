import { InsufficientDataError, ModelFitError } from '../../core/errors';
import { leastSquares, mean, variance } from '../../core/stats';

/** ARIMA(p,d,q)(P,D,Q)s; seasonal AR/MA terms enter additively at lags s·j (a subset-ARIMA form). */
export interface ArimaOrder {
  readonly p: number;
  readonly d: number;
  readonly q: number;
  readonly P: number;
  readonly D: number;
  readonly Q: number;
  readonly s: number;
}

export interface ArimaFit {
  readonly order: ArimaOrder;
  /** Coefficients of the differenced series: AR at `arLags`, MA at `maLags`. */
  readonly ar: readonly { lag: number; coef: number }[];
  readonly ma: readonly { lag: number; coef: number }[];
  readonly constant: number;
  readonly sigma2: number;
  readonly aic: number;
  /** The history and the innovations aligned to it (zero where the differencing consumed values). */
  readonly history: Float64Array;
  readonly innovations: Float64Array;
}

export function difference(y: ArrayLike<number>, lag: number): Float64Array {
  return Float64Array.from(
    { length: Math.max(0, y.length - lag) },
    (_, i) => (y[i + lag] as number) - (y[i] as number),
  );
}

export function applyDifferencing(y: Float64Array, order: Pick<ArimaOrder, 'd' | 'D' | 's'>): Float64Array {
  let w = y;
  for (let k = 0; k < order.D; k++) w = difference(w, order.s);
  for (let k = 0; k < order.d; k++) w = difference(w, 1);
  return w;
}

/** Innovations of a long autoregression (Yule–Walker via Levinson–Durbin), the first stage of Hannan–Rissanen. */
function longArResiduals(x: Float64Array, order: number): Float64Array {
  const n = x.length;
  const acov = Float64Array.from({ length: order + 1 }, (_, lag) => {
    let sum = 0;
    for (let i = lag; i < n; i++) sum += (x[i] as number) * (x[i - lag] as number);
    return sum / n;
  });
  let phi = new Float64Array(0);
  let error = acov[0] as number;
  for (let k = 1; k <= order && error > 0; k++) {
    let num = acov[k] as number;
    for (let j = 1; j < k; j++) num -= (phi[j - 1] as number) * (acov[k - j] as number);
    const reflection = num / error;
    const next = new Float64Array(k);
    for (let j = 1; j < k; j++)
      next[j - 1] = (phi[j - 1] as number) - reflection * (phi[k - j - 1] as number);
    next[k - 1] = reflection;
    phi = next;
    error *= 1 - reflection * reflection;
  }
  const residuals = new Float64Array(n);
  for (let t = phi.length; t < n; t++) {
    let prediction = 0;
    for (let j = 0; j < phi.length; j++) prediction += (phi[j] as number) * (x[t - j - 1] as number);
    residuals[t] = (x[t] as number) - prediction;
  }
  return residuals;
}

function lagsOf(count: number, step: number): number[] {
  return Array.from({ length: count }, (_, i) => (i + 1) * step);
}

/** Conditional-sum-of-squares innovations of an ARMA model of `x` (zeros before the first full lag). */
function cssInnovations(
  x: Float64Array,
  ar: ArimaFit['ar'],
  ma: ArimaFit['ma'],
  start: number,
): Float64Array {
  const e = new Float64Array(x.length);
  for (let t = start; t < x.length; t++) {
    let prediction = 0;
    for (const { lag, coef } of ar) prediction += coef * (x[t - lag] as number);
    for (const { lag, coef } of ma) prediction += coef * (e[t - lag] ?? 0);
    e[t] = (x[t] as number) - prediction;
  }
  return e;
}

/** Fits one order by Hannan–Rissanen regression and scores it by AIC of the CSS innovations. */
export function fitArimaOrder(y: Float64Array, order: ArimaOrder): ArimaFit {
  const w = applyDifferencing(y, order);
  const arLags = [...lagsOf(order.p, 1), ...lagsOf(order.P, order.s)];
  const maLags = [...lagsOf(order.q, 1), ...lagsOf(order.Q, order.s)];
  const maxLag = Math.max(0, ...arLags, ...maLags);
  const longOrder = Math.min(Math.floor(w.length / 4), Math.max(12, maxLag + 6));
  if (w.length < maxLag + longOrder + 20)
    throw new InsufficientDataError(
      `ARIMA ${formatOrder(order)} needs more data (${w.length} usable values)`,
    );
  const withMean = order.d + order.D === 0 || Math.abs(mean(w)) > 2 * Math.sqrt(variance(w) / w.length);
  const mu = withMean ? mean(w) : 0;
  const x = w.map((v) => v - mu);
  const e = maLags.length > 0 ? longArResiduals(x, longOrder) : new Float64Array(x.length);
  const start = maxLag + (maLags.length > 0 ? longOrder : 0);
  const rows: number[][] = [];
  const target: number[] = [];
  for (let t = start; t < x.length; t++) {
    rows.push([...arLags.map((lag) => x[t - lag] as number), ...maLags.map((lag) => e[t - lag] as number)]);
    target.push(x[t] as number);
  }
  const coefficients = arLags.length + maLags.length > 0 ? leastSquares(rows, target) : [];
  if (!coefficients) throw new ModelFitError(`ARIMA ${formatOrder(order)}: singular regression`);
  const ar = arLags.map((lag, i) => ({ lag, coef: coefficients[i] as number }));
  const ma = maLags.map((lag, i) => ({
    lag,
    coef: clampInvertible(coefficients[arLags.length + i] as number),
  }));
  const innovations = cssInnovations(x, ar, ma, maxLag);
  let sse = 0;
  for (let t = maxLag; t < x.length; t++) sse += (innovations[t] as number) ** 2;
  const effective = x.length - maxLag;
  const sigma2 = sse / effective;
  if (!Number.isFinite(sigma2)) throw new ModelFitError(`ARIMA ${formatOrder(order)}: innovations diverged`);
  const k = ar.length + ma.length + (withMean ? 1 : 0) + 1;
  const aligned = new Float64Array(y.length);
  aligned.set(innovations, y.length - w.length);
  const arSum = ar.reduce((sum, a) => sum + a.coef, 0);
  return {
    order,
    ar,
    ma,
    constant: mu * (1 - arSum),
    sigma2,
    aic: effective * Math.log(Math.max(sigma2, 1e-300)) + 2 * k,
    history: y,
    innovations: aligned,
  };
}

/** MA coefficients at or beyond ±1 make the CSS recursion explode; keep them just inside. */
function clampInvertible(coef: number): number {
  return Math.max(-0.98, Math.min(0.98, coef));
}

/** Coefficients of the full AR polynomial on the original scale: φ(B)·(1−B)^d·(1−B^s)^D, as y_t = Σ a_i y_{t−i} + …. */
export function expandedAr(fit: ArimaFit): Float64Array {
  const { order } = fit;
  let poly = [1];
  const maxArLag = Math.max(0, ...fit.ar.map((a) => a.lag));
  const phi = new Array<number>(maxArLag + 1).fill(0);
  phi[0] = 1;
  for (const { lag, coef } of fit.ar) phi[lag] = (phi[lag] as number) - coef;
  poly = multiply(poly, phi);
  for (let k = 0; k < order.d; k++) poly = multiply(poly, [1, -1]);
  for (let k = 0; k < order.D; k++) poly = multiply(poly, [1, ...new Array<number>(order.s - 1).fill(0), -1]);
  return Float64Array.from(poly.slice(1), (c) => -c);
}

function multiply(a: number[], b: number[]): number[] {
  const out = new Array<number>(a.length + b.length - 1).fill(0);
  a.forEach((x, i) => b.forEach((y, j) => (out[i + j] = (out[i + j] as number) + x * y)));
  return out;
}

export function formatOrder(o: ArimaOrder): string {
  const seasonal = o.s > 1 && o.P + o.D + o.Q > 0 ? `(${o.P},${o.D},${o.Q})${o.s}` : '';
  return `(${o.p},${o.d},${o.q})${seasonal}`;
}
