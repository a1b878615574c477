import { cusumDetector, type CusumOptions } from './change-points';
import { seasonalResidualDetector, type SeasonalResidualOptions } from './seasonal-residual';
import { withSuppression } from './suppression';
import type { StreamingDetector } from './types';

export interface CombinedOptions {
  readonly cusum?: CusumOptions;
  readonly seasonal?: SeasonalResidualOptions;
  /** Values after a peak during which lower scores are damped (default 100). */
  readonly suppressionWindow?: number;
}

/**
 * Level shifts (CUSUM) and point anomalies against the seasonal profile (seasonal residual),
 * whichever is more surprising, reported once per incident. Each input score is already in [0, 1],
 * so the maximum is too. One parameter set for every series; O(1) amortised per value.
 */
export function combinedDetector(options: CombinedOptions = {}): StreamingDetector {
  const shift = cusumDetector(options.cusum);
  const residual = seasonalResidualDetector(options.seasonal);
  const merged: StreamingDetector = {
    name: 'combined',
    update: (x) => Math.max(shift.update(x), residual.update(x)),
  };
  return withSuppression(merged, options.suppressionWindow ?? 100);
}
