import { normalQuantile } from '../core/stats';
import type { Forecast } from './types';

/** Builds a forecast whose interval is mean ± z·σ_h, where σ_h comes from the model's error growth. */
export function gaussianForecast(
  model: string,
  mean: Float64Array,
  sigmaAt: (step: number) => number,
  level: number,
  notes: readonly string[] = [],
): Forecast {
  const z = normalQuantile(0.5 + level / 2);
  const lower = new Float64Array(mean.length);
  const upper = new Float64Array(mean.length);
  mean.forEach((m, i) => {
    const width = z * Math.max(0, sigmaAt(i + 1));
    lower[i] = m - width;
    upper[i] = m + width;
  });
  return { model, mean, lower, upper, level, notes };
}

/** Root-mean-square of residuals, ignoring non-finite entries. */
export function residualSigma(residuals: ArrayLike<number>): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < residuals.length; i++) {
    const r = residuals[i] as number;
    if (Number.isFinite(r)) {
      sum += r * r;
      count++;
    }
  }
  return count > 0 ? Math.sqrt(sum / count) : 0;
}
