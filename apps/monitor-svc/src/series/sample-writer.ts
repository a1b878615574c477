import type { SqlExecutor } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import type { Rollup } from './rollup';
import { MINUTE_MS, mergeRollup, rollupOf } from './rollup';
import { identityOfKey, labelsKey, seriesIdentity } from './series-key';
import { sketchFromBytes, sketchToBytes } from './sketch';

interface PreparedSample {
  readonly identity: string;
  readonly atMs: number;
  readonly value: number;
}

/**
 * Writes samples in the caller's transaction: the series they belong to, the raw rows (one
 * multi-row INSERT), each series' latest value and the 1-minute rollups they fall into. Rollups
 * are merged with what is stored (row-locked), never recomputed from raw rows.
 */
export async function writeSamples(tx: SqlExecutor, samples: readonly MetricSample[]): Promise<number> {
  if (samples.length === 0) return 0;
  const seriesIds = await upsertSeries(tx, samples);
  const prepared = samples.map((sample) => ({
    identity: seriesIdentity(sample.edgeId, sample.metric, sample.labels),
    atMs: Date.parse(sample.at),
    value: sample.value,
  }));
  const idOf = (sample: PreparedSample) => seriesIds.get(sample.identity) as string;
  await tx.query(
    `INSERT INTO metric_samples (series_id, at, value)
     SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[])`,
    [prepared.map(idOf), prepared.map((s) => new Date(s.atMs).toISOString()), prepared.map((s) => s.value)],
  );
  await updateLatest(tx, prepared, idOf);
  await mergeRollups(tx, prepared, idOf);
  return samples.length;
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

async function mergeRollups(
  tx: SqlExecutor,
  samples: readonly PreparedSample[],
  idOf: (sample: PreparedSample) => string,
): Promise<void> {
  const fresh = new Map<string, { seriesId: string; bucketMs: number; rollup: Rollup }>();
  for (const sample of samples) {
    const bucketMs = Math.floor(sample.atMs / MINUTE_MS) * MINUTE_MS;
    const key = `${idOf(sample)}/${bucketMs}`;
    const one = rollupOf(sample.value, sample.atMs);
    const seen = fresh.get(key);
    if (seen) mergeRollup(seen.rollup, one);
    else fresh.set(key, { seriesId: idOf(sample), bucketMs, rollup: one });
  }
  // One lock order for everyone writing rollups, so two writers of the same rows cannot deadlock.
  const entries = [...fresh.values()].sort((a, b) =>
    a.seriesId === b.seriesId ? a.bucketMs - b.bucketMs : Number(a.seriesId) - Number(b.seriesId),
  );
  const ids = entries.map((e) => e.seriesId);
  const buckets = entries.map((e) => new Date(e.bucketMs).toISOString());
  await tx.query(
    `INSERT INTO metric_rollups_1m (series_id, bucket, count, sum)
     SELECT id, bucket, 0, 0 FROM unnest($1::bigint[], $2::timestamptz[]) AS k(id, bucket)
     ON CONFLICT (series_id, bucket) DO NOTHING`,
    [ids, buckets],
  );
  const stored = await tx.query<StoredRollup>(
    `SELECT r.series_id, r.bucket, r.count, r.sum, r.min, r.max, r.last, r.last_at, r.sketch
       FROM metric_rollups_1m r JOIN unnest($1::bigint[], $2::timestamptz[]) AS k(id, bucket)
         ON r.series_id = k.id AND r.bucket = k.bucket
      ORDER BY r.series_id, r.bucket FOR UPDATE OF r`,
    [ids, buckets],
  );
  const storedByKey = new Map(stored.map((row) => [`${row.series_id}/${row.bucket.getTime()}`, row]));
  const merged = entries.map((entry) => {
    const row = storedByKey.get(`${entry.seriesId}/${entry.bucketMs}`);
    return row && Number(row.count) > 0 ? mergeRollup(storedRollup(row), entry.rollup) : entry.rollup;
  });
  await tx.query(
    `UPDATE metric_rollups_1m r SET count = u.count, sum = u.sum, min = u.min, max = u.max,
            last = u.last, last_at = u.last_at, sketch = u.sketch
       FROM unnest($1::bigint[], $2::timestamptz[], $3::bigint[], $4::float8[], $5::float8[], $6::float8[],
                   $7::float8[], $8::timestamptz[], $9::bytea[])
         AS u(id, bucket, count, sum, min, max, last, last_at, sketch)
      WHERE r.series_id = u.id AND r.bucket = u.bucket`,
    [
      ids,
      buckets,
      merged.map((r) => r.count),
      merged.map((r) => r.sum),
      merged.map((r) => r.min),
      merged.map((r) => r.max),
      merged.map((r) => r.last),
      merged.map((r) => new Date(r.lastAtMs).toISOString()),
      merged.map((r) => sketchToBytes(r.sketch)),
    ],
  );
}

export interface StoredRollup {
  readonly series_id: string;
  readonly bucket: Date;
  readonly count: string;
  readonly sum: number;
  readonly min: number;
  readonly max: number;
  readonly last: number;
  readonly last_at: Date;
  readonly sketch: Buffer;
}

export function storedRollup(row: StoredRollup): Rollup {
  return {
    count: Number(row.count),
    sum: row.sum,
    min: row.min,
    max: row.max,
    last: row.last,
    lastAtMs: row.last_at.getTime(),
    sketch: sketchFromBytes(row.sketch),
  };
}
