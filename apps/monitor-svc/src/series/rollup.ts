import type { DDSketch } from '@datadog/sketches-js';
import { newSketch } from './sketch';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3600_000;

/** What a rollup (1-minute or 1-hour) keeps of its samples; two rollups of one series merge into one. */
export interface Rollup {
  count: number;
  sum: number;
  min: number;
  max: number;
  last: number;
  lastAtMs: number;
  sketch: DDSketch;
}

export function rollupOf(value: number, atMs: number): Rollup {
  const sketch = newSketch();
  sketch.accept(value);
  return { count: 1, sum: value, min: value, max: value, last: value, lastAtMs: atMs, sketch };
}

/** Adds one sample to `into` (mutating it), without building a sketch per sample. */
export function acceptSample(into: Rollup, value: number, atMs: number): Rollup {
  into.count += 1;
  into.sum += value;
  into.min = Math.min(into.min, value);
  into.max = Math.max(into.max, value);
  if (atMs >= into.lastAtMs) {
    into.last = value;
    into.lastAtMs = atMs;
  }
  into.sketch.accept(value);
  return into;
}

/** Folds `other` into `into` (mutating it): counts and sums add, extremes widen, the later last wins. */
export function mergeRollup(into: Rollup, other: Rollup): Rollup {
  into.count += other.count;
  into.sum += other.sum;
  into.min = Math.min(into.min, other.min);
  into.max = Math.max(into.max, other.max);
  if (other.lastAtMs >= into.lastAtMs) {
    into.last = other.last;
    into.lastAtMs = other.lastAtMs;
  }
  into.sketch.merge(other.sketch);
  return into;
}

/** A rollup of one series and bucket, ready to be merged into its stored row. */
export interface RollupEntry {
  readonly seriesId: string;
  readonly bucketMs: number;
  readonly rollup: Rollup;
}

/**
 * Groups samples into buckets of `widthMs` per series, in the one lock order every rollup writer
 * uses (series, then bucket), so two writers of the same rows cannot deadlock.
 */
export function foldSamples(
  samples: readonly { readonly seriesId: string; readonly atMs: number; readonly value: number }[],
  widthMs: number,
): RollupEntry[] {
  const fresh = new Map<string, RollupEntry>();
  for (const { seriesId, atMs, value } of samples) {
    const bucketMs = Math.floor(atMs / widthMs) * widthMs;
    const key = `${seriesId}/${bucketMs}`;
    const seen = fresh.get(key);
    if (seen) acceptSample(seen.rollup, value, atMs);
    else fresh.set(key, { seriesId, bucketMs, rollup: rollupOf(value, atMs) });
  }
  return sortEntries([...fresh.values()]);
}

export function sortEntries(entries: RollupEntry[]): RollupEntry[] {
  return entries.sort((a, b) =>
    a.seriesId === b.seriesId ? a.bucketMs - b.bucketMs : Number(a.seriesId) - Number(b.seriesId),
  );
}
