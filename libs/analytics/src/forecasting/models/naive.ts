import { InsufficientDataError } from '../../core/errors';
import { gaussianForecast, residualSigma } from '../intervals';
import { DEFAULT_LEVEL, type FitContext, type FittedModel, type Forecaster } from '../types';

/** Last value carried forward; the random-walk interval widens with √h. */
export const naive: Forecaster = {
  name: 'naive',
  fit(history: Float64Array): FittedModel {
    if (history.length < 1) throw new InsufficientDataError('naive needs one value');
    const last = history[history.length - 1] as number;
    const sigma = residualSigma(history.subarray(1).map((v, i) => v - (history[i] as number)));
    return {
      model: 'naive',
      forecast: (horizon, level = DEFAULT_LEVEL) =>
        gaussianForecast('naive', new Float64Array(horizon).fill(last), (h) => sigma * Math.sqrt(h), level),
    };
  },
};

/** Repeats the last observed cycle of the given period (or of the strongest detected one). */
export function seasonalNaive(fixedPeriod?: number): Forecaster {
  const name = fixedPeriod === undefined ? 'seasonal-naive' : `seasonal-naive(${fixedPeriod})`;
  return {
    name,
    fit(history: Float64Array, context: FitContext): FittedModel {
      const period = fixedPeriod ?? context.periods[0];
      if (period === undefined) throw new InsufficientDataError(`${name}: no seasonal period detected`);
      if (history.length < period + 1)
        throw new InsufficientDataError(`${name}: needs more than one cycle of ${period} values`);
      const n = history.length;
      const sigma = residualSigma(history.subarray(period).map((v, i) => v - (history[i] as number)));
      return {
        model: `seasonal-naive(${period})`,
        forecast: (horizon, level = DEFAULT_LEVEL) => {
          const mean = Float64Array.from(
            { length: horizon },
            (_, h) => history[n - period + (h % period)] as number,
          );
          return gaussianForecast(
            `seasonal-naive(${period})`,
            mean,
            (h) => sigma * Math.sqrt(Math.ceil(h / period)),
            level,
          );
        },
      };
    },
  };
}
