import { InvalidInputError } from '@kailash/analytics';
import type {
  BackboneLogger,
  OutboxEntry,
  OutboxPublisher,
  OutboxStore,
  SqlDatabase,
  SqlExecutor,
} from '@kailash/backbone';
import { flushOutbox, ProjectorLock, silentLogger } from '@kailash/backbone';
import { AnomalyDetected } from '@kailash/contracts';
import type { AnalyticsConfig } from './analytics.config';
import type { AnomalyRow } from './analytics-read';
import { ANOMALY_COLUMNS, toAnomaly } from './analytics-read';
import type { FedBucket } from './detector-step';
import { anomalyEventId, closedBefore, feedBuckets, firstBucketToFeed } from './detector-step';
import type { LoadedDetector } from './detector-store';
import { freshDetector, restoreDetector, saveDetector } from './detector-store';
import { isAnalysed, loadRules } from './selections';
import { MATERIALISED_TO_SQL } from '../series/rollup-watermark';

/** Name of the analyser's advisory lock: one active analyser per database. */
export const LIVE_ANALYSER = 'analytics-live-detector';

export interface LiveAnalyserOptions {
  readonly db: SqlDatabase;
  readonly publisher: OutboxPublisher;
  readonly config: AnalyticsConfig;
  readonly nowMs: () => number;
  readonly logger?: BackboneLogger;
}

export interface TickOutcome {
  readonly active: boolean;
  /** Series that had closed buckets to feed. */
  readonly series: number;
  readonly buckets: number;
  readonly anomalies: number;
  readonly published: number;
}

interface SeriesRow {
  id: string;
  edge_id: string;
  metric: string;
  labels: Record<string, string>;
}

/** A detector in memory, valid while the stored cursor is still the bucket it last saw. */
interface Cached extends LoadedDetector {
  readonly lastBucketMs: number;
}

/**
 * The live detector over every analysed series. Each tick feeds each series its newly closed
 * 1-minute buckets (mean per minute, from the rollups) after its cursor, and stores the new cursor,
 * the detector's state and the anomalies found in one transaction: a restart, even a kill, resumes
 * from the last commit with the detector as it was, and no bucket is fed twice. Anomalies are then
 * published from the table (an outbox, flushed by the backbone's flusher) with ids derived from
 * series and bucket, so an anomaly published before a crash is not published again.
 */
export class LiveAnalyser {
  private readonly lock: ProjectorLock;
  private readonly logger: BackboneLogger;
  private readonly cache = new Map<string, Cached>();

  constructor(private readonly options: LiveAnalyserOptions) {
    this.lock = new ProjectorLock(options.db, LIVE_ANALYSER);
    this.logger = options.logger ?? silentLogger;
  }

  get active(): boolean {
    return this.lock.held;
  }

  async release(): Promise<void> {
    this.cache.clear();
    await this.lock.release();
  }

  /** One pass: every analysed series advanced (at most maxBucketsPerTick each), then the outbox published. */
  async tick(): Promise<TickOutcome> {
    if (!(await this.lock.tryAcquire())) {
      this.cache.clear(); // another instance moves the cursors now
      return { active: false, series: 0, buckets: 0, anomalies: 0, published: 0 };
    }
    const series = await this.analysedSeries();
    let buckets = 0;
    let anomalies = 0;
    for (const row of series) {
      const outcome = await this.advance(row);
      buckets += outcome.buckets;
      anomalies += outcome.anomalies;
    }
    const published = await this.publishPending();
    return { active: true, series: series.length, buckets, anomalies, published };
  }

  private async analysedSeries(): Promise<SeriesRow[]> {
    const { rules } = await loadRules(this.options.db);
    const all = await this.options.db.query<SeriesRow>(
      'SELECT id::text AS id, edge_id, metric, labels FROM metric_series ORDER BY id',
    );
    const selected = all.filter((row) => isAnalysed(rules, row.edge_id, row.metric));
    const kept = new Set(selected.map((row) => row.id));
    for (const id of this.cache.keys()) if (!kept.has(id)) this.cache.delete(id);
    const pending = await this.withClosedBuckets([...kept]);
    return selected.filter((row) => pending.has(row.id));
  }

  /** The series with a closed bucket after their cursor: one set-based look instead of one transaction each. */
  private async withClosedBuckets(ids: readonly string[]): Promise<Set<string>> {
    if (ids.length === 0) return new Set();
    const { config, nowMs } = this.options;
    const now = nowMs();
    const rows = await this.options.db.query<{ id: string }>(
      `SELECT s.id::text AS id FROM unnest($1::bigint[]) AS s(id)
         LEFT JOIN analytics_cursors c ON c.series_id = s.id
        WHERE EXISTS (SELECT 1 FROM metric_rollups_1m r
                       WHERE r.series_id = s.id AND r.count > 0 AND r.bucket < least($3, ${MATERIALISED_TO_SQL})
                         AND r.bucket >= greatest(c.last_bucket + interval '1 minute', $2))`,
      [
        ids,
        new Date(firstBucketToFeed(undefined, now, config.backfillMs)),
        new Date(closedBefore(now, config.closeGraceMs)),
      ],
    );
    return new Set(rows.map((row) => row.id));
  }

  private async advance(series: SeriesRow): Promise<{ buckets: number; anomalies: number }> {
    const { db, config } = this.options;
    try {
      const result = await db.transaction(async (tx) => {
        await this.lock.fence(tx);
        return this.advanceIn(tx, series, config);
      });
      if (result.cached) this.cache.set(series.id, result.cached);
      return { buckets: result.buckets, anomalies: result.anomalies };
    } catch (error) {
      // The detector in memory may be ahead of what was committed: rebuild it from the stored state.
      this.cache.delete(series.id);
      throw error;
    }
  }

  private async advanceIn(tx: SqlExecutor, series: SeriesRow, config: AnalyticsConfig) {
    const now = this.options.nowMs();
    const [cursor] = await tx.query<{ last_bucket: Date; detector: unknown }>(
      'SELECT last_bucket, detector FROM analytics_cursors WHERE series_id = $1 FOR UPDATE',
      [series.id],
    );
    const cursorMs = cursor?.last_bucket.getTime();
    const buckets = await this.closedBuckets(tx, series.id, cursorMs, now);
    if (buckets.length === 0) return { buckets: 0, anomalies: 0, cached: undefined };
    const loaded = await this.detectorFor(tx, series.id, cursorMs, cursor?.detector);
    const { detector } = loaded;
    const found = feedBuckets(detector, buckets, config.threshold);
    const stored = await saveDetector(
      tx,
      series.id,
      loaded,
      buckets.map((b) => b.mean),
    );
    const last = (buckets[buckets.length - 1] as FedBucket).bucketMs;
    await tx.query(
      `INSERT INTO analytics_cursors (series_id, last_bucket, detector, updated_at)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (series_id) DO UPDATE
         SET last_bucket = EXCLUDED.last_bucket, detector = EXCLUDED.detector, updated_at = EXCLUDED.updated_at`,
      [series.id, new Date(last), JSON.stringify(stored), new Date(now)],
    );
    if (found.length > 0)
      await tx.query(
        `INSERT INTO analytics_anomalies
           (series_id, bucket, edge_id, metric, labels, value, score, detector, detected_at)
         SELECT $1, b, $2, $3, $4, v, s, $5, $6
           FROM unnest($7::timestamptz[], $8::float8[], $9::float8[]) AS u(b, v, s)
         ON CONFLICT (series_id, bucket) DO NOTHING`,
        [
          series.id,
          series.edge_id,
          series.metric,
          JSON.stringify(series.labels),
          detector.name,
          new Date(now),
          found.map((a) => new Date(a.bucketMs)),
          found.map((a) => a.mean),
          found.map((a) => a.score),
        ],
      );
    const cached: Cached = { lastBucketMs: last, detector, seen: stored.seen };
    return { buckets: buckets.length, anomalies: found.length, cached };
  }

  private async closedBuckets(
    tx: SqlExecutor,
    seriesId: string,
    cursorMs: number | undefined,
    now: number,
  ): Promise<FedBucket[]> {
    const { config } = this.options;
    const rows = await tx.query<{ bucket: Date; mean: number }>(
      `SELECT bucket, sum / count AS mean FROM metric_rollups_1m
        WHERE series_id = $1 AND bucket >= $2 AND bucket < least($3, ${MATERIALISED_TO_SQL}) AND count > 0
        ORDER BY bucket LIMIT $4`,
      [
        seriesId,
        new Date(firstBucketToFeed(cursorMs, now, config.backfillMs)),
        new Date(closedBefore(now, config.closeGraceMs)),
        config.maxBucketsPerTick,
      ],
    );
    return rows.map((row) => ({ bucketMs: row.bucket.getTime(), mean: Number(row.mean) }));
  }

  private async detectorFor(
    tx: SqlExecutor,
    seriesId: string,
    cursorMs: number | undefined,
    stored: unknown,
  ): Promise<LoadedDetector> {
    const cached = this.cache.get(seriesId);
    if (cached && cursorMs !== undefined && cached.lastBucketMs === cursorMs) return cached;
    if (stored === undefined) return freshDetector(tx, seriesId);
    try {
      return await restoreDetector(tx, seriesId, stored);
    } catch (error) {
      // A state the detector refuses (written by an incompatible version) must not stop every
      // other series: this one relearns from here on.
      if (!(error instanceof InvalidInputError)) throw error;
      this.logger.warn('stored detector state refused; relearning', { seriesId, error: error.message });
      return freshDetector(tx, seriesId);
    }
  }

  /** Publishes stored anomalies not yet on the stream, oldest first. */
  private async publishPending(): Promise<number> {
    const { db, publisher, nowMs } = this.options;
    const published = await flushOutbox({ db, publisher, store: anomalyOutbox(nowMs) });
    if (published > 0) this.logger.info('anomalies published', { count: published });
    return published;
  }
}

type AnomalyEntry = OutboxEntry & { readonly seriesId: string; readonly bucket: Date };

/** `analytics_anomalies` doubles as the outbox: a row is retired by stamping `published_at`. */
function anomalyOutbox(nowMs: () => number): OutboxStore<AnomalyEntry> {
  return {
    async pending(db, limit) {
      const rows = await db.query<AnomalyRow & { series_id: string }>(
        `SELECT series_id::text AS series_id, ${ANOMALY_COLUMNS}
           FROM analytics_anomalies WHERE published_at IS NULL ORDER BY bucket, series_id LIMIT $1`,
        [limit],
      );
      return rows.map((row) => {
        // The event carries the fact, not when this service stored it.
        const { detectedAt: _storedAt, ...data } = toAnomaly(row);
        const id = anomalyEventId(row.series_id, row.bucket.getTime());
        const draft = { definition: AnomalyDetected, aggregateId: row.edge_id, id, data };
        return { seriesId: row.series_id, bucket: row.bucket, draft };
      });
    },
    async retire(db, entry) {
      await db.query(
        'UPDATE analytics_anomalies SET published_at = $3 WHERE series_id = $1 AND bucket = $2',
        [entry.seriesId, entry.bucket, new Date(nowMs())],
      );
    },
  };
}
