import { EwmaStats, SortedWindow } from './running';
import { deviationScore, type StreamingDetector } from './types';

export interface RobustZOptions {
  /** Values in the sliding window the median and MAD are taken from (default 288, one day of 5-minute data). */
  readonly window?: number;
  /** Deviation (in robust σ) that maps to score 0.5 (default 3). */
  readonly scale?: number;
  /** Values needed before scoring starts (default 30). */
  readonly warmup?: number;
}

/** Robust z-score against a sliding window's median and MAD; O(window) per value. */
export function robustZDetector(options: RobustZOptions = {}): StreamingDetector {
  const { window = 288, scale = 3, warmup = 30 } = options;
  const values = new SortedWindow(window);
  const longRun = new EwmaStats(0.001);
  return {
    name: 'robust-z',
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      let score = 0;
      if (values.length >= warmup) {
        const median = values.quantile(0.5);
        score = deviationScore(
          (x - median) / Math.max(robustSigma(values, median), 0.2 * longRun.std),
          scale,
        );
      }
      values.push(x);
      longRun.update(x);
      return score;
    },
  };
}

/** 1.4826·MAD, floored so that a flat window does not turn every change into an infinite z. */
export function robustSigma(values: SortedWindow, median: number): number {
  const spread = values.quantile(0.9) - values.quantile(0.1);
  return Math.max(
    1.4826 * values.medianAbsoluteDeviation(median),
    spread / 2.56 / 4,
    1e-6 * Math.max(1, Math.abs(median)),
  );
}
