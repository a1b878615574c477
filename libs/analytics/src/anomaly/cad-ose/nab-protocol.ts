import { probationaryLength } from '../../nab/nab-weights';
import type { CadOseOptions } from './cad-ose';

/**
 * CAD OSE's parameters as NAB runs it on one file: told the file's minimum and maximum, a rest
 * period of a fifth of the file's probationary period (so 120 rows for a 4,032-row file, 150 from
 * 5,000 rows on; NAB keeps the fraction and slices by its integer part), every value scored
 * without a prediction gate, and no cap on the context memory. The other parameters are the
 * detector's defaults, which are the reference's.
 */
export function nabCadOseOptions(values: ArrayLike<number>): CadOseOptions {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  return {
    range: min <= max ? { min, max } : { min: 0, max: 0 },
    restPeriod: Math.floor(probationaryLength(values.length) / 5),
    gateOnPrediction: false,
    maxContexts: Number.MAX_SAFE_INTEGER,
  };
}
