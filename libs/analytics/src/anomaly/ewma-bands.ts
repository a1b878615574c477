import { EwmaStats } from './running';
import { deviationScore, type StreamingDetector } from './types';

export interface EwmaBandsOptions {
  /** Smoothing weight of the mean and variance (default 0.05). */
  readonly alpha?: number;
  /** Deviation (in σ) that maps to score 0.5 (default 3). */
  readonly scale?: number;
  readonly warmup?: number;
}

/** Distance from an exponentially weighted mean in exponentially weighted σ; O(1) per value. */
export function ewmaBandsDetector(options: EwmaBandsOptions = {}): StreamingDetector {
  const { alpha = 0.05, scale = 3, warmup = 30 } = options;
  const stats = new EwmaStats(alpha);
  return {
    name: 'ewma-bands',
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      const score =
        stats.count >= warmup
          ? deviationScore(
              (x - stats.mean) / Math.max(stats.std, 1e-9 * Math.max(1, Math.abs(stats.mean))),
              scale,
            )
          : 0;
      stats.update(x);
      return score;
    },
  };
}
