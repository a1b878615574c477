import type { SqlDatabase, SqlExecutor } from '@kailash/backbone';
import { ProjectorLock } from '@kailash/backbone';
import { RAW_SAMPLES, ROLLUPS_1H, ROLLUPS_1M } from './partitions';
import { foldSamples, HOUR_MS, MINUTE_MS } from './rollup';
import { mergeRollupRows } from './rollup-writer';
import { advanceWatermark, lockWatermark } from './rollup-watermark';

export interface MaterialiseOptions {
  /** How long after a minute ends its samples may still arrive before it is folded. */
  readonly graceMs: number;
  /** At most this much raw time is folded per transaction, so catching up stays in small steps. */
  readonly spanMs: number;
}

export const DEFAULT_MATERIALISE_OPTIONS: MaterialiseOptions = { graceMs: 10_000, spanMs: 5 * MINUTE_MS };

export interface MaterialiseOutcome {
  readonly samples: number;
  readonly watermarkMs: number;
}

/**
 * Folds the raw samples of closed 1-minute buckets into the 1-minute and 1-hour rollups, each raw
 * row read once, a span at a time: each transaction locks the watermark, reads the raw rows from
 * it to the span's end, merges their rollups into the stored rows and moves the watermark, so a
 * crash or a second caller never folds a row twice or skips one. Writers share-lock the
 * watermark, so a sample below the new watermark is either read here or merged by its writer.
 */
export async function materialiseRollups(
  db: SqlDatabase,
  nowMs: number,
  options: MaterialiseOptions = DEFAULT_MATERIALISE_OPTIONS,
): Promise<MaterialiseOutcome> {
  const targetMs = Math.floor((nowMs - options.graceMs) / MINUTE_MS) * MINUTE_MS;
  let samples = 0;
  for (;;) {
    const step = await db.transaction((tx) => materialiseSpan(tx, targetMs, options.spanMs));
    samples += step.samples;
    if (step.watermarkMs >= targetMs) return { samples, watermarkMs: step.watermarkMs };
  }
}

async function materialiseSpan(
  tx: SqlExecutor,
  targetMs: number,
  spanMs: number,
): Promise<MaterialiseOutcome> {
  const watermarkMs = await lockWatermark(tx);
  if (watermarkMs >= targetMs) return { samples: 0, watermarkMs };
  // The next span is read straight away; only an empty one pays for finding the next sample.
  if (Number.isFinite(watermarkMs)) {
    const folded = await foldSpan(tx, watermarkMs, Math.min(targetMs, watermarkMs + spanMs));
    if (folded.samples > 0) return folded;
  }
  const fromMs = await firstSampleMinute(tx, watermarkMs, targetMs);
  if (fromMs === undefined) {
    await advanceWatermark(tx, targetMs);
    return { samples: 0, watermarkMs: targetMs };
  }
  return foldSpan(tx, fromMs, Math.min(targetMs, fromMs + spanMs));
}

/** Folds the raw rows of [fromMs, toMs) into both rollups and moves the watermark to toMs. */
async function foldSpan(tx: SqlExecutor, fromMs: number, toMs: number): Promise<MaterialiseOutcome> {
  const rows = await tx.query<{ id: string; ms: number; value: number }>(
    `SELECT series_id AS id, (extract(epoch FROM at) * 1000)::float8 AS ms, value
       FROM ${RAW_SAMPLES.parent} WHERE at >= $1 AND at < $2`,
    [new Date(fromMs).toISOString(), new Date(toMs).toISOString()],
  );
  if (rows.length === 0) return { samples: 0, watermarkMs: fromMs };
  const keyed = rows.map((row) => ({ seriesId: row.id, atMs: row.ms, value: row.value }));
  // Minutes at or past the watermark have no 1-minute row yet: only this fold writes them.
  await mergeRollupRows(tx, ROLLUPS_1M, foldSamples(keyed, MINUTE_MS), { likelyNew: true });
  await mergeRollupRows(tx, ROLLUPS_1H, foldSamples(keyed, HOUR_MS));
  await advanceWatermark(tx, toMs);
  return { samples: rows.length, watermarkMs: toMs };
}

/** The minute of the first raw sample in [watermark, target), or undefined when there is none. */
async function firstSampleMinute(
  tx: SqlExecutor,
  watermarkMs: number,
  targetMs: number,
): Promise<number | undefined> {
  const [row] = await tx.query<{ ms: number | null }>(
    `SELECT (extract(epoch FROM min(at)) * 1000)::float8 AS ms FROM ${RAW_SAMPLES.parent}
      WHERE at >= $1::timestamptz AND at < $2`,
    [
      Number.isFinite(watermarkMs) ? new Date(watermarkMs).toISOString() : '-infinity',
      new Date(targetMs).toISOString(),
    ],
  );
  if (row?.ms === null || row?.ms === undefined) return undefined;
  return Math.max(watermarkMs, Math.floor(row.ms / MINUTE_MS) * MINUTE_MS);
}

/**
 * The materialiser of one instance: only the holder of its lock folds, so replicas do not queue on
 * the watermark lock doing the same work. Correctness does not rest on the lock: the watermark's
 * row lock alone keeps two folds from overlapping.
 */
export class RollupMaterialiser {
  private readonly lock: ProjectorLock;

  constructor(
    private readonly db: SqlDatabase,
    private readonly options: MaterialiseOptions = DEFAULT_MATERIALISE_OPTIONS,
  ) {
    this.lock = new ProjectorLock(db, 'metric-rollups');
  }

  /** Folds every closed minute; undefined when another instance is the active materialiser. */
  async runOnce(nowMs: number): Promise<MaterialiseOutcome | undefined> {
    if (!(await this.lock.tryAcquire())) return undefined;
    try {
      return await materialiseRollups(this.db, nowMs, this.options);
    } catch (error) {
      await this.lock.release();
      throw error;
    }
  }

  release(): Promise<void> {
    return this.lock.release();
  }
}
