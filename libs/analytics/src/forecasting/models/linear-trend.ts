import { InsufficientDataError } from '../../core/errors';
import { gaussianForecast } from '../intervals';
import { DEFAULT_LEVEL, type FittedModel, type Forecaster } from '../types';

/** Straight-line fit by least squares; the interval is the regression prediction interval. */
export const linearTrend: Forecaster = {
  name: 'linear-trend',
  fit(history: Float64Array): FittedModel {
    const n = history.length;
    if (n < 3) throw new InsufficientDataError('linear trend needs at least 3 values');
    const line = fitLine(history);
    return {
      model: 'linear-trend',
      forecast: (horizon, level = DEFAULT_LEVEL) => {
        const mean = Float64Array.from({ length: horizon }, (_, h) => line.intercept + line.slope * (n + h));
        const sigmaAt = (h: number) =>
          line.sigma * Math.sqrt(1 + 1 / n + (n - 1 + h - line.tMean) ** 2 / line.sxx);
        return gaussianForecast('linear-trend', mean, sigmaAt, level);
      },
    };
  },
};

export interface LineFit {
  readonly slope: number;
  readonly intercept: number;
  /** Residual standard deviation. */
  readonly sigma: number;
  readonly slopeStandardError: number;
  readonly rSquared: number;
  readonly tMean: number;
  readonly sxx: number;
}

/** Least-squares line through (i, values[i]). */
export function fitLine(values: ArrayLike<number>): LineFit {
  const n = values.length;
  const tMean = (n - 1) / 2;
  let yMean = 0;
  for (let i = 0; i < n; i++) yMean += (values[i] as number) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dy = (values[i] as number) - yMean;
    sxy += (i - tMean) * dy;
    sxx += (i - tMean) ** 2;
    syy += dy * dy;
  }
  const slope = sxx > 0 ? sxy / sxx : 0;
  const intercept = yMean - slope * tMean;
  const sse = Math.max(0, syy - slope * sxy);
  const sigma = n > 2 ? Math.sqrt(sse / (n - 2)) : 0;
  return {
    slope,
    intercept,
    sigma,
    slopeStandardError: sxx > 0 ? sigma / Math.sqrt(sxx) : Number.POSITIVE_INFINITY,
    rSquared: syy > 0 ? 1 - sse / syy : 0,
    tMean,
    sxx,
  };
}
