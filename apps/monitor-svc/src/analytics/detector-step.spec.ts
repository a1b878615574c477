import type { LiveCadOseState } from '@kailash/analytics';
import {
  anomalyEventId,
  closedBefore,
  feedBuckets,
  firstBucketToFeed,
  liveDetector,
  MINUTE_MS,
} from './detector-step';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');

describe('the analyser cursor on a fake clock', () => {
  it('closes a bucket only once its minute ended the grace ago', () => {
    expect(closedBefore(T0 + MINUTE_MS + 29_999, 30_000)).toBe(T0);
    expect(closedBefore(T0 + MINUTE_MS + 30_000, 30_000)).toBe(T0 + MINUTE_MS);
  });

  it('starts a new series at the backfill window and a known one right after its cursor', () => {
    expect(firstBucketToFeed(undefined, T0 + 30_000, 3600_000)).toBe(T0 - 3600_000);
    expect(firstBucketToFeed(T0 - 5 * MINUTE_MS, T0, 3600_000)).toBe(T0 - 4 * MINUTE_MS);
    // A cursor older than the backfill window (a long stop) jumps to the window.
    expect(firstBucketToFeed(T0 - 2 * 3600_000, T0, 3600_000)).toBe(T0 - 3600_000);
  });

  it('feeds every bucket exactly once, in order, whatever the tick times', () => {
    const buckets = Array.from({ length: 120 }, (_, i) => T0 + i * MINUTE_MS);
    const fed: number[] = [];
    let cursor: number | undefined;
    // Irregular ticks, some closer together than a minute, some far apart.
    let now = T0;
    for (const step of [7_000, 61_000, 1_000, 200_000, 59_000, 3_600_000, 45_000, 999_000]) {
      now += step;
      const from = firstBucketToFeed(cursor, now, 24 * 3600_000);
      const until = closedBefore(now, 60_000);
      const batch = buckets.filter((b) => b >= from && b < until);
      fed.push(...batch);
      if (batch.length > 0) cursor = batch[batch.length - 1];
      for (const b of batch) expect(b + MINUTE_MS + 60_000).toBeLessThanOrEqual(now);
    }
    expect(fed).toEqual(buckets.filter((b) => b < closedBefore(now, 60_000)));
    expect(new Set(fed).size).toBe(fed.length);
  });

  it('continues identically from a stored state, cut anywhere', () => {
    const means = Array.from({ length: 400 }, (_, i) => 50 + 10 * Math.sin(i / 7) + (i === 300 ? 400 : 0));
    const buckets = means.map((mean, i) => ({ bucketMs: T0 + i * MINUTE_MS, mean }));
    const whole = feedBuckets(liveDetector(), buckets, 0.5);
    for (const cut of [120, 150, 299, 301]) {
      const first = liveDetector();
      const before = feedBuckets(first, buckets.slice(0, cut), 0.5);
      const state = JSON.parse(JSON.stringify(first.snapshot())) as LiveCadOseState;
      const after = feedBuckets(liveDetector(state), buckets.slice(cut), 0.5);
      expect([...before, ...after]).toEqual(whole);
    }
    expect(whole.map((a) => a.bucketMs)).toContain(T0 + 300 * MINUTE_MS);
  });

  it('names an anomaly event by series and bucket', () => {
    expect(anomalyEventId('42', T0)).toBe(`anomaly-42-${T0}`);
  });
});
