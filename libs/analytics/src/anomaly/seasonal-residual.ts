import { detectSeasonality } from '../forecasting/seasonality';
import { EwmaStats, RingBuffer } from './running';
import { deviationScore, type StreamingDetector } from './types';

export interface SeasonalResidualOptions {
  /** Known period in steps; when omitted it is detected from the recent past and re-checked periodically. */
  readonly period?: number;
  /** Values kept for period detection (default 1200). */
  readonly buffer?: number;
  /** Re-run period detection every this many values (default 1000). */
  readonly redetectEvery?: number;
  readonly scale?: number;
  readonly warmup?: number;
}

/**
 * Residual from a running seasonal profile: expected = smoothed level + per-phase offset. A value
 * that is normal for its time of day but not for the day as a whole is not flagged, and vice versa.
 * O(1) per value plus an O(buffer · period) detection amortised over `redetectEvery` values.
 */
export function seasonalResidualDetector(options: SeasonalResidualOptions = {}): StreamingDetector {
  const { buffer = 1200, redetectEvery = 1000, scale = 3, warmup = 60 } = options;
  const recent = new RingBuffer(buffer);
  const residuals = new EwmaStats(0.01);
  let period = options.period ?? 0;
  let profile = new Float64Array(Math.max(1, period));
  let level = new EwmaStats(period > 1 ? 2 / (period + 1) : 0.1);
  let t = 0;
  const redetect = () => {
    const found = detectSeasonality(recent.toArray(), { maxPeriod: Math.floor(buffer / 3) })[0]?.period ?? 0;
    if (found === period) return;
    period = found;
    profile = new Float64Array(Math.max(1, period));
    level = new EwmaStats(period > 1 ? 2 / (period + 1) : 0.1);
    recent.toArray().forEach((v, i) => learn(v, t - recent.length + i));
  };
  const learn = (x: number, at: number) => {
    level.update(x);
    if (period > 1) profile[at % period] = 0.9 * (profile[at % period] as number) + 0.1 * (x - level.mean);
  };
  return {
    name: 'seasonal-residual',
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      const expected = level.mean + (period > 1 ? (profile[t % period] as number) : 0);
      const residual = x - expected;
      const score =
        residuals.count >= warmup
          ? deviationScore(
              (residual - residuals.mean) / Math.max(residuals.std, 1e-9 * Math.max(1, Math.abs(level.mean))),
              scale,
            )
          : 0;
      if (level.count > 0) residuals.update(residual);
      learn(x, t);
      recent.push(x);
      t++;
      const firstDetection = Math.min(buffer, 600);
      if (options.period === undefined && t >= firstDetection && (t - firstDetection) % redetectEvery === 0)
        redetect();
      return score;
    },
  };
}
