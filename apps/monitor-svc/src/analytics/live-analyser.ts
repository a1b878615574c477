import type {
  BackboneLogger,
  OutboxEntry,
  OutboxPublisher,
  OutboxStore,
  SqlDatabase,
} from '@kailash/backbone';
import { flushOutbox, ProjectionFencedError, ProjectorLock, silentLogger } from '@kailash/backbone';
import { AnomalyDetected } from '@kailash/contracts';
import type { AnalyticsConfig } from './analytics.config';
import type { AnomalyRow } from './analytics-read';
import { ANOMALY_COLUMNS, toAnomaly } from './analytics-read';
import type { AnalysedSeries, CachedDetector, DueSeries } from './chunk-advance';
import { advanceChunk, chunksOf } from './chunk-advance';
import { anomalyEventId, closedBefore, firstBucketToFeed, MINUTE_MS } from './detector-step';
import { isAnalysed, loadRules } from './selections';
import { MATERIALISED_TO_SQL } from '../series/rollup-watermark';

/** Name of the analyser's advisory lock: one active analyser per database. */
export const LIVE_ANALYSER = 'analytics-live-detector';

/**
 * At most this many series and (unless one series alone has more) buckets per transaction: a
 * pass of one minute per series pays BEGIN/COMMIT and the lock fence once per 200 series, and a
 * backfill (up to maxBucketsPerTick buckets each) stays in transactions of moderate size. Larger
 * chunks measured slower: 1,000 series made the chunk's bucket read take some four times as long.
 */
export const SERIES_PER_TRANSACTION = 200;
export const BUCKETS_PER_TRANSACTION = 50_000;

export interface LiveAnalyserOptions {
  readonly db: SqlDatabase;
  readonly publisher: OutboxPublisher;
  readonly config: AnalyticsConfig;
  readonly nowMs: () => number;
  readonly logger?: BackboneLogger;
  /** Defaults to SERIES_PER_TRANSACTION. */
  readonly seriesPerTransaction?: number;
  /** Defaults to BUCKETS_PER_TRANSACTION. */
  readonly bucketsPerTransaction?: number;
}

export interface TickOutcome {
  readonly active: boolean;
  /** Series that had closed buckets to feed. */
  readonly series: number;
  readonly buckets: number;
  readonly anomalies: number;
  readonly published: number;
  /** Series whose advance failed this pass (logged); the others advanced regardless. */
  readonly failed: number;
}

interface Advanced {
  buckets: number;
  anomalies: number;
  failed: number;
}

/**
 * The live detector over every analysed series. Each tick feeds each series its newly closed
 * 1-minute buckets (mean per minute, from the rollups) after its cursor, and stores the new cursor,
 * the detector's state and the anomalies found in one transaction per chunk of series: a restart,
 * even a kill, resumes from the last commit with the detectors as they were, and no bucket is fed
 * twice. A chunk that fails is retried series by series, so one series that cannot advance holds
 * back no other. Anomalies are then published from the table (an outbox, flushed by the backbone's
 * flusher) with ids derived from series and bucket, so an anomaly published before a crash is not
 * published again.
 */
export class LiveAnalyser {
  private readonly lock: ProjectorLock;
  private readonly logger: BackboneLogger;
  private readonly cache = new Map<string, CachedDetector>();
  private readonly chunkSeries: number;
  private readonly chunkBuckets: number;

  constructor(private readonly options: LiveAnalyserOptions) {
    this.lock = new ProjectorLock(options.db, LIVE_ANALYSER);
    this.logger = options.logger ?? silentLogger;
    this.chunkSeries = Math.max(1, options.seriesPerTransaction ?? SERIES_PER_TRANSACTION);
    this.chunkBuckets = Math.max(1, options.bucketsPerTransaction ?? BUCKETS_PER_TRANSACTION);
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
      return { active: false, series: 0, buckets: 0, anomalies: 0, published: 0, failed: 0 };
    }
    const due = await this.dueSeries();
    const total: Advanced = { buckets: 0, anomalies: 0, failed: 0 };
    for (const chunk of chunksOf(due, this.chunkSeries, this.chunkBuckets))
      addTo(total, await this.advance(chunk));
    const published = await this.publishPending();
    return { active: true, series: due.length, ...total, published };
  }

  private async dueSeries(): Promise<DueSeries[]> {
    const { rules } = await loadRules(this.options.db);
    const all = await this.options.db.query<AnalysedSeries>(
      'SELECT id::text AS id, edge_id, metric, labels FROM metric_series ORDER BY id',
    );
    const selected = all.filter((row) => isAnalysed(rules, row.edge_id, row.metric));
    const kept = new Set(selected.map((row) => row.id));
    for (const id of this.cache.keys()) if (!kept.has(id)) this.cache.delete(id);
    const pending = await this.withClosedBuckets([...kept]);
    return selected.flatMap((series) => {
      const bucketsAtMost = pending.get(series.id);
      return bucketsAtMost === undefined ? [] : [{ series, bucketsAtMost }];
    });
  }

  /**
   * The series with a closed bucket after their cursor, one set-based look before any transaction,
   * each with at most how many buckets it may be fed now (empty minutes make it fewer).
   */
  private async withClosedBuckets(ids: readonly string[]): Promise<Map<string, number>> {
    if (ids.length === 0) return new Map();
    const { config, nowMs } = this.options;
    const now = nowMs();
    const until = closedBefore(now, config.closeGraceMs);
    const rows = await this.options.db.query<{ id: string; last_bucket: Date | null }>(
      `SELECT s.id::text AS id, c.last_bucket FROM unnest($1::bigint[]) AS s(id)
         LEFT JOIN analytics_cursors c ON c.series_id = s.id
        WHERE EXISTS (SELECT 1 FROM metric_rollups_1m r
                       WHERE r.series_id = s.id AND r.count > 0 AND r.bucket < least($3, ${MATERIALISED_TO_SQL})
                         AND r.bucket >= greatest(c.last_bucket + interval '1 minute', $2))`,
      [ids, new Date(firstBucketToFeed(undefined, now, config.backfillMs)), new Date(until)],
    );
    return new Map(
      rows.map((row) => {
        const from = firstBucketToFeed(row.last_bucket?.getTime(), now, config.backfillMs);
        const minutes = Math.ceil((until - from) / MINUTE_MS);
        return [row.id, Math.max(1, Math.min(config.maxBucketsPerTick, minutes))];
      }),
    );
  }

  /**
   * One chunk in one transaction; if it fails, its series one by one, so the series at fault (if
   * one is) fails alone, logged and counted, and every other series advances. A fence that fails
   * ends the pass: another instance owns the cursors. A failure that is no series' fault (the
   * database gone) shows as every series failing, and as the pass's own queries failing.
   */
  private async advance(chunk: readonly AnalysedSeries[]): Promise<Advanced> {
    try {
      return await this.commit(chunk);
    } catch (error) {
      if (error instanceof ProjectionFencedError) throw error;
      if (chunk.length === 1) return this.failedAlone(chunk[0] as AnalysedSeries, error);
      this.logger.warn('chunk of series failed; advancing them one by one', {
        series: chunk.length,
        error: messageOf(error),
      });
      const total: Advanced = { buckets: 0, anomalies: 0, failed: 0 };
      for (const series of chunk)
        addTo(
          total,
          await this.commit([series]).catch((alone: unknown) => {
            if (alone instanceof ProjectionFencedError) throw alone;
            return this.failedAlone(series, alone);
          }),
        );
      return total;
    }
  }

  private failedAlone(series: AnalysedSeries, error: unknown): Advanced {
    this.logger.error('series not advanced; the others go on', {
      seriesId: series.id,
      error: messageOf(error),
    });
    return { buckets: 0, anomalies: 0, failed: 1 };
  }

  private async commit(chunk: readonly AnalysedSeries[]): Promise<Advanced> {
    const { db, config, nowMs } = this.options;
    try {
      const outcome = await db.transaction(async (tx) => {
        await this.lock.fence(tx);
        return advanceChunk(tx, chunk, { config, nowMs: nowMs(), cache: this.cache, logger: this.logger });
      });
      for (const [id, detector] of outcome.advanced) this.cache.set(id, detector);
      return { buckets: outcome.buckets, anomalies: outcome.anomalies, failed: 0 };
    } catch (error) {
      // The detectors in memory may be ahead of what was committed: rebuild them from the stored state.
      for (const series of chunk) this.cache.delete(series.id);
      throw error;
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

function addTo(total: Advanced, part: Advanced): void {
  total.buckets += part.buckets;
  total.anomalies += part.anomalies;
  total.failed += part.failed;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
