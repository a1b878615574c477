import type { LiveCadOseDetector, LiveCadOseState } from '@kailash/analytics';
import { liveCadOseDetector } from '@kailash/analytics';

export const MINUTE_MS = 60_000;

/** One closed 1-minute bucket as the detector sees it: its mean. */
export interface FedBucket {
  readonly bucketMs: number;
  readonly mean: number;
}

export interface FoundAnomaly extends FedBucket {
  readonly score: number;
}

/**
 * Buckets starting before this are closed at `nowMs`: they ended at least `graceMs` ago, so
 * samples still in flight have landed in them.
 */
export function closedBefore(nowMs: number, graceMs: number): number {
  return Math.floor((nowMs - graceMs) / MINUTE_MS) * MINUTE_MS;
}

/**
 * The first bucket to feed: the one after the cursor, but never older than the backfill window
 * (a new series, or one analysed again after a long stop, starts there instead of weeks back).
 */
export function firstBucketToFeed(cursorMs: number | undefined, nowMs: number, backfillMs: number): number {
  const earliest = Math.floor((nowMs - backfillMs) / MINUTE_MS) * MINUTE_MS;
  return cursorMs === undefined ? earliest : Math.max(cursorMs + MINUTE_MS, earliest);
}

/** The live detector, fresh or continuing from a stored state. */
export function liveDetector(state?: LiveCadOseState): LiveCadOseDetector {
  return liveCadOseDetector({}, state);
}

/** Feeds buckets in order and returns those scoring at or above the threshold. */
export function feedBuckets(
  detector: LiveCadOseDetector,
  buckets: readonly FedBucket[],
  threshold: number,
): FoundAnomaly[] {
  const found: FoundAnomaly[] = [];
  for (const bucket of buckets) {
    const score = detector.update(bucket.mean);
    if (score >= threshold) found.push({ ...bucket, score });
  }
  return found;
}

/** The event id of an anomaly: the same series and bucket always give the same id. */
export const anomalyEventId = (seriesId: string, bucketMs: number) => `anomaly-${seriesId}-${bucketMs}`;
