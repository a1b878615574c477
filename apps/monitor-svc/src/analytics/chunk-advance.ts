import { InvalidInputError } from '@kailash/analytics';
import type { BackboneLogger, SqlExecutor } from '@kailash/backbone';
import type { AnalyticsConfig } from './analytics.config';
import type { FedBucket, FoundAnomaly } from './detector-step';
import { closedBefore, feedBuckets, firstBucketToFeed } from './detector-step';
import type { LoadedDetector, StoredDetector } from './detector-store';
import { freshDetectors, restoreDetectors, saveDetectors } from './detector-store';
import { MATERIALISED_TO_SQL } from '../series/rollup-watermark';

export interface AnalysedSeries {
  readonly id: string;
  readonly edge_id: string;
  readonly metric: string;
  readonly labels: Record<string, string>;
}

/** A detector in memory, valid while the stored cursor is still the bucket it last saw. */
export interface CachedDetector extends LoadedDetector {
  readonly lastBucketMs: number;
}

export interface ChunkContext {
  readonly config: AnalyticsConfig;
  readonly nowMs: number;
  /** Read only: what the chunk fed is returned, to be cached once its transaction committed. */
  readonly cache: ReadonlyMap<string, CachedDetector>;
  readonly logger: BackboneLogger;
}

export interface ChunkOutcome {
  readonly buckets: number;
  readonly anomalies: number;
  /** The detectors as committed, by series, valid once the transaction is. */
  readonly advanced: ReadonlyMap<string, CachedDetector>;
}

interface Cursor {
  readonly lastBucketMs: number;
  /** The stored state; null when the cached detector is still the one it describes. */
  readonly detector: unknown;
}

interface SeriesPass {
  readonly series: AnalysedSeries;
  readonly loaded: LoadedDetector;
  readonly historyBefore: number;
  readonly buckets: readonly FedBucket[];
  readonly found: readonly FoundAnomaly[];
}

/**
 * Advances a chunk of series inside the caller's (fenced) transaction, in a fixed number of
 * statements whatever the chunk's size: the cursors locked, the closed buckets read, the detectors
 * restored where the cache is stale, the fed values logged, the cursors and anomalies written. The
 * state, the cursor and the anomalies of every series therefore commit or roll back together.
 */
export async function advanceChunk(
  tx: SqlExecutor,
  chunk: readonly AnalysedSeries[],
  context: ChunkContext,
): Promise<ChunkOutcome> {
  const cursors = await lockCursors(tx, chunk, context.cache);
  const buckets = await closedBuckets(tx, chunk, cursors, context);
  const fed = chunk.filter((series) => (buckets.get(series.id)?.length ?? 0) > 0);
  const detectors = await detectorsFor(tx, fed, cursors, context);
  const passes: SeriesPass[] = fed.map((series) => {
    const loaded = detectors.get(series.id) as LoadedDetector;
    const seriesBuckets = buckets.get(series.id) as FedBucket[];
    const historyBefore = loaded.detector.historySize;
    const found = feedBuckets(loaded.detector, seriesBuckets, context.config.threshold);
    return { series, loaded, historyBefore, buckets: seriesBuckets, found };
  });
  const stored = await saveDetectors(
    tx,
    passes.map((pass) => ({
      seriesId: pass.series.id,
      loaded: pass.loaded,
      historyBefore: pass.historyBefore,
      fed: pass.buckets.map((b) => b.mean),
    })),
  );
  await upsertCursors(tx, passes, stored, context.nowMs);
  await insertAnomalies(tx, passes, context.nowMs);
  const advanced = new Map<string, CachedDetector>();
  passes.forEach((pass, i) => {
    const lastBucketMs = (pass.buckets[pass.buckets.length - 1] as FedBucket).bucketMs;
    advanced.set(pass.series.id, {
      lastBucketMs,
      detector: pass.loaded.detector,
      seen: (stored[i] as StoredDetector).seen,
    });
  });
  return {
    buckets: passes.reduce((sum, pass) => sum + pass.buckets.length, 0),
    anomalies: passes.reduce((sum, pass) => sum + pass.found.length, 0),
    advanced,
  };
}

/** The chunk's cursors, locked in one statement; a stored state is read only where the cache is stale. */
async function lockCursors(
  tx: SqlExecutor,
  chunk: readonly AnalysedSeries[],
  cache: ReadonlyMap<string, CachedDetector>,
): Promise<Map<string, Cursor>> {
  const cachedAt = chunk.map((series) => {
    const cached = cache.get(series.id);
    return cached ? new Date(cached.lastBucketMs) : null;
  });
  const rows = await tx.query<{ id: string; last_bucket: Date; detector: unknown }>(
    `SELECT c.series_id::text AS id, c.last_bucket,
            CASE WHEN c.last_bucket = k.cached_at THEN NULL ELSE c.detector END AS detector
       FROM analytics_cursors c
       JOIN unnest($1::bigint[], $2::timestamptz[]) AS k(id, cached_at) ON k.id = c.series_id
      ORDER BY c.series_id FOR UPDATE OF c`,
    [chunk.map((series) => series.id), cachedAt],
  );
  return new Map(
    rows.map((row) => [row.id, { lastBucketMs: row.last_bucket.getTime(), detector: row.detector }]),
  );
}

/** Each series' closed buckets after its cursor (at most maxBucketsPerTick), in one statement. */
async function closedBuckets(
  tx: SqlExecutor,
  chunk: readonly AnalysedSeries[],
  cursors: ReadonlyMap<string, Cursor>,
  { config, nowMs }: ChunkContext,
): Promise<Map<string, FedBucket[]>> {
  const from = chunk.map(
    (series) => new Date(firstBucketToFeed(cursors.get(series.id)?.lastBucketMs, nowMs, config.backfillMs)),
  );
  const rows = await tx.query<{ id: string; bucket: Date; mean: number }>(
    `SELECT k.id::text AS id, r.bucket, r.mean
       FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, from_bucket)
       CROSS JOIN LATERAL (
         SELECT bucket, sum / count AS mean FROM metric_rollups_1m
          WHERE series_id = k.id AND bucket >= k.from_bucket AND count > 0
            AND bucket < least($3, ${MATERIALISED_TO_SQL})
          ORDER BY bucket LIMIT $4) r
      ORDER BY k.id, r.bucket`,
    [
      chunk.map((series) => series.id),
      from,
      new Date(closedBefore(nowMs, config.closeGraceMs)),
      config.maxBucketsPerTick,
    ],
  );
  const buckets = new Map<string, FedBucket[]>();
  for (const row of rows) {
    const list = buckets.get(row.id) ?? [];
    list.push({ bucketMs: row.bucket.getTime(), mean: Number(row.mean) });
    buckets.set(row.id, list);
  }
  return buckets;
}

/**
 * Each fed series' detector: the cached one when it is still the stored one, else the stored state
 * restored, else a fresh one. A state the detector refuses (written by an incompatible version)
 * must not stop every other series: that series relearns from here on.
 */
async function detectorsFor(
  tx: SqlExecutor,
  fed: readonly AnalysedSeries[],
  cursors: ReadonlyMap<string, Cursor>,
  { cache, logger }: ChunkContext,
): Promise<Map<string, LoadedDetector>> {
  const detectors = new Map<string, LoadedDetector>();
  const toRestore = new Map<string, unknown>();
  const toRelearn: string[] = [];
  for (const { id } of fed) {
    const cursor = cursors.get(id);
    const cached = cache.get(id);
    if (cursor && cached && cached.lastBucketMs === cursor.lastBucketMs) detectors.set(id, cached);
    else if (cursor) toRestore.set(id, cursor.detector);
    else toRelearn.push(id);
  }
  for (const [id, restored] of await restoreDetectors(tx, toRestore)) {
    if (!(restored instanceof InvalidInputError)) detectors.set(id, restored);
    else {
      logger.warn('stored detector state refused; relearning', { seriesId: id, error: restored.message });
      toRelearn.push(id);
    }
  }
  for (const [id, fresh] of await freshDetectors(tx, toRelearn)) detectors.set(id, fresh);
  return detectors;
}

async function upsertCursors(
  tx: SqlExecutor,
  passes: readonly SeriesPass[],
  stored: readonly StoredDetector[],
  nowMs: number,
): Promise<void> {
  if (passes.length === 0) return;
  await tx.query(
    `INSERT INTO analytics_cursors (series_id, last_bucket, detector, updated_at)
     SELECT id, last_bucket, detector::jsonb, $4 FROM unnest($1::bigint[], $2::timestamptz[], $3::text[])
       AS u(id, last_bucket, detector)
     ON CONFLICT (series_id) DO UPDATE
       SET last_bucket = EXCLUDED.last_bucket, detector = EXCLUDED.detector, updated_at = EXCLUDED.updated_at`,
    [
      passes.map((pass) => pass.series.id),
      passes.map((pass) => new Date((pass.buckets[pass.buckets.length - 1] as FedBucket).bucketMs)),
      stored.map((state) => JSON.stringify(state)),
      new Date(nowMs),
    ],
  );
}

async function insertAnomalies(tx: SqlExecutor, passes: readonly SeriesPass[], nowMs: number): Promise<void> {
  const rows = passes.flatMap((pass) => pass.found.map((anomaly) => ({ pass, anomaly })));
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO analytics_anomalies
       (series_id, bucket, edge_id, metric, labels, value, score, detector, detected_at)
     SELECT id, b, e, m, l::jsonb, v, s, d, $8
       FROM unnest($1::bigint[], $2::timestamptz[], $3::text[], $4::text[], $5::text[], $6::float8[],
                   $7::float8[], $9::text[]) AS u(id, b, e, m, l, v, s, d)
     ON CONFLICT (series_id, bucket) DO NOTHING`,
    [
      rows.map(({ pass }) => pass.series.id),
      rows.map(({ anomaly }) => new Date(anomaly.bucketMs)),
      rows.map(({ pass }) => pass.series.edge_id),
      rows.map(({ pass }) => pass.series.metric),
      rows.map(({ pass }) => JSON.stringify(pass.series.labels)),
      rows.map(({ anomaly }) => anomaly.mean),
      rows.map(({ anomaly }) => anomaly.score),
      new Date(nowMs),
      rows.map(({ pass }) => pass.loaded.detector.name),
    ],
  );
}

/** A series due in a pass, with at most how many buckets it may be fed. */
export interface DueSeries {
  readonly series: AnalysedSeries;
  readonly bucketsAtMost: number;
}

/**
 * Cuts a pass into chunks of at most `maxSeries` series and, unless one series alone exceeds it,
 * `maxBuckets` buckets: a pass of one minute each is one transaction, a backfill several of
 * moderate size. Order is kept.
 */
export function chunksOf(
  due: readonly DueSeries[],
  maxSeries: number,
  maxBuckets: number,
): AnalysedSeries[][] {
  const chunks: AnalysedSeries[][] = [];
  let chunk: AnalysedSeries[] = [];
  let buckets = 0;
  for (const { series, bucketsAtMost } of due) {
    if (chunk.length > 0 && (chunk.length >= maxSeries || buckets + bucketsAtMost > maxBuckets)) {
      chunks.push(chunk);
      chunk = [];
      buckets = 0;
    }
    chunk.push(series);
    buckets += bucketsAtMost;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
