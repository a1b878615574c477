import { InsufficientDataError } from '../../core/errors';
import { gaussianForecast } from '../intervals';
import { DEFAULT_LEVEL, type FitContext, type FittedModel, type Forecaster } from '../types';
import { etsMean, etsSigma, fitBestEts } from './ets';

/** A series split into one seasonal component per period and what is left (trend + remainder). */
export interface Decomposition {
  readonly periods: readonly number[];
  readonly seasonals: readonly Float64Array[];
  readonly deseasonalised: Float64Array;
}

/** Cycles on each side averaged when smoothing one phase of a season (STL's seasonal window of ~7). */
const CYCLE_HALF_WINDOW = 3;
const PASSES = 2;

/**
 * Multi-seasonal decomposition in the spirit of MSTL: each season in turn is re-estimated from the
 * series with the other seasons removed, as a per-phase average over neighbouring cycles of the
 * series minus its moving-average trend. Two passes let the seasons stop absorbing each other.
 */
export function decompose(y: Float64Array, periods: readonly number[]): Decomposition {
  const usable = [...periods].filter((p) => p >= 2 && y.length >= 2 * p).sort((a, b) => a - b);
  const seasonals: Float64Array[] = usable.map(() => new Float64Array(y.length));
  const deseasonalised = Float64Array.from(y);
  for (let pass = 0; pass < PASSES; pass++) {
    usable.forEach((period, k) => {
      const current = seasonals[k] as Float64Array;
      const withSeason = deseasonalised.map((v, i) => v + (current[i] as number));
      const trend = movingAverage(withSeason, period);
      const next = smoothPhases(
        withSeason.map((v, i) => v - (trend[i] as number)),
        period,
      );
      seasonals[k] = next;
      withSeason.forEach((v, i) => (deseasonalised[i] = v - (next[i] as number)));
    });
  }
  return { periods: usable, seasonals, deseasonalised };
}

/**
 * Centred moving average over one full cycle (2×p for even p). Near the ends the window slides
 * inwards instead of shrinking: a partial cycle would leak the season into the trend.
 */
function movingAverage(x: Float64Array, period: number): Float64Array {
  const n = x.length;
  const prefix = new Float64Array(n + 1);
  x.forEach((v, i) => (prefix[i + 1] = (prefix[i] as number) + v));
  const cycleMean = (start: number) => {
    const from = Math.max(0, Math.min(n - period, start));
    return ((prefix[from + period] as number) - (prefix[from] as number)) / period;
  };
  const half = Math.floor(period / 2);
  return Float64Array.from({ length: n }, (_, i) =>
    period % 2 === 1 ? cycleMean(i - half) : (cycleMean(i - half) + cycleMean(i - half + 1)) / 2,
  );
}

function smoothPhases(detrended: Float64Array, period: number): Float64Array {
  const n = detrended.length;
  const out = new Float64Array(n);
  for (let phase = 0; phase < period; phase++) {
    const cycles = Math.ceil((n - phase) / period);
    for (let c = 0; c < cycles; c++) {
      let sum = 0;
      let count = 0;
      for (
        let k = Math.max(0, c - CYCLE_HALF_WINDOW);
        k <= Math.min(cycles - 1, c + CYCLE_HALF_WINDOW);
        k++
      ) {
        sum += detrended[phase + k * period] as number;
        count++;
      }
      out[phase + c * period] = sum / count;
    }
  }
  // A season should not carry level: remove its running mean over one cycle.
  const level = movingAverage(out, period);
  return out.map((v, i) => v - (level[i] as number));
}

/** MSTL: decomposition by every detected period, ETS (level, optional damped trend) on the rest. */
export const mstl: Forecaster = {
  name: 'mstl',
  fit(history: Float64Array, context: FitContext): FittedModel {
    const parts = decompose(history, context.periods);
    if (parts.periods.length === 0)
      throw new InsufficientDataError('MSTL needs at least two cycles of a detected period');
    const fit = fitBestEts(parts.deseasonalised, [
      { trend: false, period: 0 },
      { trend: true, period: 0 },
    ]);
    const n = history.length;
    const model = `mstl(${parts.periods.join(',')})+ets(A,${fit.spec.trend ? 'Ad' : 'N'},N)`;
    return {
      model,
      forecast: (horizon, level = DEFAULT_LEVEL) => {
        const base = etsMean(fit, horizon);
        parts.periods.forEach((period, k) => {
          const season = parts.seasonals[k] as Float64Array;
          base.forEach((v, h) => (base[h] = v + (season[n - period + (h % period)] as number)));
        });
        return gaussianForecast(model, base, (h) => etsSigma(fit, h), level);
      },
    };
  },
};
