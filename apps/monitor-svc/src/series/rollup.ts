import type { DDSketch } from '@datadog/sketches-js';
import { newSketch } from './sketch';

export const MINUTE_MS = 60_000;

/** What a 1-minute rollup keeps of its samples; two rollups of one series merge into one. */
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
