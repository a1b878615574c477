import type { SqlExecutor } from '@kailash/backbone';
import { canCopy } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import { foldSamples, HOUR_MS, MINUTE_MS } from './rollup';
import { dayStart, RAW_SAMPLES, ROLLUPS_1H, ROLLUPS_1M, tablePartitionName } from './partitions';
import type { RawRow } from './raw-copy';
import { rawCopyBuffer, rawCopyStatement } from './raw-copy';
import { mergeRollupRows } from './rollup-writer';
import { shareWatermark } from './rollup-watermark';
import { SeriesScope } from './series-cache';
import { identityOfKey, labelsKey, seriesIdentity } from './series-key';

interface PreparedSample {
  readonly identity: string;
  readonly atMs: number;
  readonly value: number;
}

/**
 * Writes samples in the caller's transaction: the series they belong to (registered only when
 * `cache` does not know them), the raw rows (one COPY per day) and each series'
 * latest value. Rollups of samples at or after the rollup watermark are left to the
 * materialiser; a late sample, one whose minute is already materialised, is merged into its
 * stored 1-minute and 1-hour rows here, so rollups keep equalling the raw rows. A cache passed
 * in comes from `SeriesCache.within`, which keeps what it learnt only once the transaction committed.
 */
export async function writeSamples(
  tx: SqlExecutor,
  samples: readonly MetricSample[],
  cache: SeriesScope = new SeriesScope(),
): Promise<number> {
  if (samples.length === 0) return 0;
  const watermarkMs = await shareWatermark(tx);
  const prepared = samples.map((sample) => ({
    identity: seriesIdentity(sample.edgeId, sample.metric, sample.labels),
    atMs: Date.parse(sample.at),
    value: sample.value,
  }));
  await registerSeries(tx, samples, prepared, cache);
  const idOf = (sample: PreparedSample) => cache.get(sample.identity) as string;
  await insertRaw(tx, prepared, idOf);
  await updateLatest(tx, prepared, idOf);
  const late = prepared
    .filter((s) => s.atMs < watermarkMs)
    .map((s) => ({ seriesId: idOf(s), atMs: s.atMs, value: s.value }));
  if (late.length > 0) {
    await mergeRollupRows(tx, ROLLUPS_1M, foldSamples(late, MINUTE_MS));
    await mergeRollupRows(tx, ROLLUPS_1H, foldSamples(late, HOUR_MS));
  }
  return samples.length;
}

async function registerSeries(
  tx: SqlExecutor,
  samples: readonly MetricSample[],
  prepared: readonly PreparedSample[],
  cache: SeriesScope,
): Promise<void> {
  const unknown = samples.filter((_, i) => cache.get((prepared[i] as PreparedSample).identity) === undefined);
  if (unknown.length === 0) return;
  for (const [identity, id] of await upsertSeries(tx, unknown)) cache.learn(identity, id);
}

/**
 * The raw rows, one statement per day partition, named directly (no tuple routing through the
 * parent): a binary COPY where the transaction streams one (a PgDatabase's does), else a
 * multi-row INSERT. Times travel as epoch milliseconds, exact to the microsecond in both.
 */
async function insertRaw(
  tx: SqlExecutor,
  samples: readonly PreparedSample[],
  idOf: (sample: PreparedSample) => string,
): Promise<void> {
  const byDay = new Map<number, RawRow[]>();
  for (const sample of samples) {
    const day = dayStart(sample.atMs);
    const row = { seriesId: Number(idOf(sample)), atMs: sample.atMs, value: sample.value };
    const list = byDay.get(day);
    if (list) list.push(row);
    else byDay.set(day, [row]);
  }
  for (const [day, rows] of byDay) {
    const table = tablePartitionName(RAW_SAMPLES, day);
    if (canCopy(tx)) await tx.copyFrom(rawCopyStatement(table), [rawCopyBuffer(rows)]);
    else
      await tx.query(
        `INSERT INTO ${table} (series_id, at, value)
         SELECT u.id, to_timestamp(u.ms / 1000), u.value
           FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS u(id, ms, value)`,
        [rows.map((r) => r.seriesId), rows.map((r) => r.atMs), rows.map((r) => r.value)],
      );
  }
}

/** The id of every series the samples name, created if new. */
async function upsertSeries(tx: SqlExecutor, samples: readonly MetricSample[]): Promise<Map<string, string>> {
  const distinct = new Map<string, MetricSample>();
  for (const sample of samples)
    distinct.set(seriesIdentity(sample.edgeId, sample.metric, sample.labels), sample);
  // Sorted, so concurrent writers of new series insert (and wait on each other) in one order.
  const list = [...distinct.keys()].sort().map((identity) => distinct.get(identity) as MetricSample);
  const columns = [
    list.map((s) => s.edgeId),
    list.map((s) => s.metric),
    list.map((s) => JSON.stringify(s.labels)),
    list.map((s) => labelsKey(s.labels)),
  ];
  await tx.query(
    `INSERT INTO metric_series (edge_id, metric, labels, labels_key)
     SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::text[])
     ON CONFLICT (metric, edge_id, labels_key) DO NOTHING`,
    columns,
  );
  const rows = await tx.query<{ id: string; edge_id: string; metric: string; labels_key: string }>(
    `SELECT s.id, s.edge_id, s.metric, s.labels_key FROM metric_series s
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(edge_id, metric, labels_key)
         ON s.edge_id = k.edge_id AND s.metric = k.metric AND s.labels_key = k.labels_key`,
    [columns[0], columns[1], columns[3]],
  );
  return new Map(rows.map((row) => [identityOfKey(row.edge_id, row.metric, row.labels_key), row.id]));
}

async function updateLatest(
  tx: SqlExecutor,
  samples: readonly PreparedSample[],
  idOf: (sample: PreparedSample) => string,
): Promise<void> {
  const latest = new Map<string, PreparedSample>();
  for (const sample of samples) {
    const seen = latest.get(idOf(sample));
    if (!seen || sample.atMs >= seen.atMs) latest.set(idOf(sample), sample);
  }
  const ids = [...latest.keys()].sort();
  await tx.query(
    `UPDATE metric_series s SET last_at = u.at, last_value = u.value
       FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[]) AS u(id, at, value)
      WHERE s.id = u.id AND (s.last_at IS NULL OR s.last_at <= u.at)`,
    [
      ids,
      ids.map((id) => new Date(latest.get(id)?.atMs ?? 0).toISOString()),
      ids.map((id) => latest.get(id)?.value),
    ],
  );
}

/** Re-exported: the stored form of a rollup row lives with the rollup writer. */
export type { StoredRollup } from './rollup-writer';
export { storedRollup } from './rollup-writer';
