import type { MetricQueryAggregation } from '@kailash/contracts';

/**
 * What the tests compare the database's answers with: aggregates computed directly from the
 * samples in memory. Only the tests import this file.
 */

/** A small deterministic generator, so a failing comparison is reproducible. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => (state = (state * 1664525 + 1013904223) >>> 0) / 2 ** 32;
}

/** Lower-rank quantile, the rank DDSketch's guarantee refers to. */
export const sketchRank = (sorted: number[], q: number) =>
  sorted[Math.floor(q * (sorted.length - 1))] as number;
/** percentile_disc: the first value whose cumulative share reaches q. */
export const discRank = (sorted: number[], q: number) =>
  sorted[Math.max(Math.ceil(q * sorted.length) - 1, 0)] as number;

export function reference(
  values: number[],
  aggregation: Exclude<MetricQueryAggregation, 'rate'>,
  rank: typeof sketchRank,
): number {
  const sorted = [...values].sort((a, b) => a - b);
  const sum = values.reduce((a, b) => a + b, 0);
  switch (aggregation) {
    case 'avg':
      return sum / values.length;
    case 'sum':
      return sum;
    case 'count':
      return values.length;
    case 'min':
      return sorted[0] as number;
    case 'max':
      return sorted[sorted.length - 1] as number;
    default:
      return rank(sorted, { p50: 0.5, p95: 0.95, p99: 0.99 }[aggregation]);
  }
}

/**
 * The documented rate of one series per bucket: rises between consecutive points (a fall is a
 * reset, the new value counting as the rise), summed per bucket of the later point, per second.
 */
export function referenceRate(
  points: readonly { atMs: number; value: number }[],
  fromMs: number,
  stepMs: number,
): Map<number, number> {
  const sorted = [...points].sort((a, b) => a.atMs - b.atMs);
  const increase = new Map<number, number>();
  sorted.forEach((point, i) => {
    if (point.atMs < fromMs) return;
    const prev = sorted[i - 1];
    const rise = prev === undefined ? 0 : point.value >= prev.value ? point.value - prev.value : point.value;
    const k = Math.floor((point.atMs - fromMs) / stepMs);
    increase.set(k, (increase.get(k) ?? 0) + rise);
  });
  return new Map([...increase].map(([k, rise]) => [k, rise / (stepMs / 1000)]));
}

/** The counter as a rollup sees it: each bucket's last sample, stamped at the bucket's start. */
export function lastPerBucket(
  points: readonly { atMs: number; value: number }[],
  widthMs: number,
): { atMs: number; value: number }[] {
  const last = new Map<number, { atMs: number; value: number }>();
  for (const point of points) {
    const bucket = Math.floor(point.atMs / widthMs) * widthMs;
    const seen = last.get(bucket);
    if (!seen || point.atMs >= seen.atMs) last.set(bucket, point);
  }
  return [...last].map(([bucket, point]) => ({ atMs: bucket, value: point.value }));
}
