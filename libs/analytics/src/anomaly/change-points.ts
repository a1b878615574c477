import { EwmaStats } from './running';
import type { StreamingDetector } from './types';

export interface CusumOptions {
  /** Slack in σ units, half the shift to detect (default 0.5). */
  readonly k?: number;
  /** Decision interval in σ units (default 5). */
  readonly h?: number;
  /** Weight of the slowly adapting in-control mean and σ (default 0.01). */
  readonly alpha?: number;
  readonly warmup?: number;
}

/** Two-sided tabular CUSUM on standardised values; restarts after each alarm. O(1) per value. */
export function cusumDetector(options: CusumOptions = {}): StreamingDetector {
  const { k = 0.5, h = 5, alpha = 0.01, warmup = 30 } = options;
  let baseline = new EwmaStats(alpha);
  let high = 0;
  let low = 0;
  return {
    name: 'cusum',
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      if (baseline.count < warmup) {
        baseline.update(x);
        return 0;
      }
      const z = (x - baseline.mean) / Math.max(baseline.std, 1e-9 * Math.max(1, Math.abs(baseline.mean)));
      high = Math.max(0, high + z - k);
      low = Math.max(0, low - z - k);
      const statistic = Math.max(high, low);
      // While a shift accumulates, the baseline is frozen so the CUSUM does not chase it.
      if (statistic === 0) baseline.update(x);
      if (statistic >= h) {
        // After an alarm the process is assumed to have moved: learn the new level from scratch.
        high = 0;
        low = 0;
        baseline = new EwmaStats(alpha);
      }
      return statistic / (statistic + h);
    },
  };
}

export interface PageHinkleyOptions {
  readonly delta?: number;
  readonly lambda?: number;
  readonly alpha?: number;
  readonly minInstances?: number;
}

/**
 * Page–Hinkley test on standardised values in both directions, with the common defaults
 * (δ 0.005, λ 50, forgetting α 0.9999, 30 instances). O(1) per value.
 */
export function pageHinkleyDetector(options: PageHinkleyOptions = {}): StreamingDetector {
  const { delta = 0.005, lambda = 50, alpha = 0.9999, minInstances = 30 } = options;
  const scaleStats = new EwmaStats(0.01);
  let count = 0;
  let runningMean = 0;
  let upSum = 0;
  let downSum = 0;
  let upMin = 0;
  let downMax = 0;
  const reset = () => {
    count = 0;
    runningMean = 0;
    upSum = downSum = upMin = downMax = 0;
  };
  return {
    name: 'page-hinkley',
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      scaleStats.update(x);
      if (scaleStats.count < minInstances) return 0;
      const z = x / Math.max(scaleStats.std, 1e-9 * Math.max(1, Math.abs(scaleStats.mean)));
      count++;
      runningMean += (z - runningMean) / count;
      upSum = alpha * upSum + (z - runningMean - delta);
      downSum = alpha * downSum + (z - runningMean + delta);
      upMin = Math.min(upMin, upSum);
      downMax = Math.max(downMax, downSum);
      const statistic = count < minInstances ? 0 : Math.max(upSum - upMin, downMax - downSum);
      if (statistic > lambda) reset();
      return statistic / (statistic + lambda);
    },
  };
}
