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
import type { AnalysedSeries, CachedDetector } from './chunk-advance';
import { advanceChunk } from './chunk-advance';
import { anomalyEventId, closedBefore, firstBucketToFeed } from './detector-step';
import { isAnalysed, loadRules } from './selections';
import { MATERIALISED_TO_SQL } from '../series/rollup-watermark';

/** Name of the analyser's advisory lock: one active analyser per database. */
export const LIVE_ANALYSER = 'analytics-live-detector';

/**
 * Series advanced per transaction: enough that BEGIN/COMMIT and the lock fence are paid once for
 * hundreds of series, few enough that a backfill's chunk (up to maxBucketsPerTick buckets each)
 * stays a transaction of moderate size.
 */
export const SERIES_PER_TRANSACTION = 200;

export interface LiveAnalyserOptions {
  readonly db: SqlDatabase;
  readonly publisher: OutboxPublisher;
  readonly config: AnalyticsConfig;
  readonly nowMs: () => number;
  readonly logger?: BackboneLogger;
  /** Defaults to SERIES_PER_TRANSACTION. */
  readonly seriesPerTransaction?: number;
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
  private readonly chunkSize: number;

  constructor(private readonly options: LiveAnalyserOptions) {
    this.lock = new ProjectorLock(options.db, LIVE_ANALYSER);
    this.logger = options.logger ?? silentLogger;
    this.chunkSize = Math.max(1, options.seriesPerTransaction ?? SERIES_PER_TRANSACTION);
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
    const series = await this.analysedSeries();
    const total: Advanced = { buckets: 0, anomalies: 0, failed: 0 };
    for (let at = 0; at < series.length; at += this.chunkSize)
      addTo(total, await this.advance(series.slice(at, at + this.chunkSize)));
    const published = await this.publishPending();
    return { active: true, series: series.length, ...total, published };
  }

  private async analysedSeries(): Promise<AnalysedSeries[]> {
    const { rules } = await loadRules(this.options.db);
    const all = await this.options.db.query<AnalysedSeries>(
      'SELECT id::text AS id, edge_id, metric, labels FROM metric_series ORDER BY id',
    );
    const selected = all.filter((row) => isAnalysed(rules, row.edge_id, row.metric));
    const kept = new Set(selected.map((row) => row.id));
    for (const id of this.cache.keys()) if (!kept.has(id)) this.cache.delete(id);
    const pending = await this.withClosedBuckets([...kept]);
    return selected.filter((row) => pending.has(row.id));
  }

  /** The series with a closed bucket after their cursor: one set-based look before any transaction. */
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
