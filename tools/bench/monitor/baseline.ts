import { rmSync } from 'node:fs';
import type { PgDatabase } from '@kailash/backbone';
import { canCopy } from '@kailash/backbone';
import { rawCopyBuffer, rawCopyStatement } from '../../../apps/monitor-svc/src/series/raw-copy';
import type { Rate } from './ingest';

const PLAIN = 'bench_plain_samples';

export interface BareBaselines {
  /** Client-side `COPY … FROM STDIN` (binary) from Node: what an application can do. */
  readonly copy: Rate;
  /** Server-side `COPY … FROM` a file the database exported: no client protocol at all. */
  readonly serverCopy: Rate;
  readonly insert: Rate;
}

/**
 * The same rows as the ingest wrote (series_id, at, value), written bare into a plain table with
 * no index and no rollups: by a binary COPY FROM STDIN from Node (encoding timed), by a
 * server-side COPY from a file, and by the best multi-row INSERT.
 */
export async function bareBaselines(
  db: PgDatabase,
  options: { insertChunk: number },
): Promise<BareBaselines> {
  await db.query(
    `CREATE TABLE ${PLAIN} (series_id bigint NOT NULL, at timestamptz NOT NULL, value double precision NOT NULL)`,
  );
  const data = (
    await db.query<{ series_id: string; ms: number; value: number }>(
      `SELECT series_id, (extract(epoch FROM at) * 1000)::float8 AS ms, value FROM metric_samples`,
    )
  ).map((row) => ({ seriesId: Number(row.series_id), atMs: row.ms, value: row.value }));
  const copy = await timedRows(db, data.length, () =>
    db.transaction(async (tx) => {
      if (!canCopy(tx)) throw new Error('the bench database streams no COPY');
      await tx.copyFrom(rawCopyStatement(PLAIN), [rawCopyBuffer(data)]);
    }),
  );
  const serverCopy = await serverSideCopy(db, data.length);
  const insert = await timedRows(db, data.length, async () => {
    for (let i = 0; i < data.length; i += options.insertChunk) {
      const chunk = data.slice(i, i + options.insertChunk);
      await db.query(
        `INSERT INTO ${PLAIN} (series_id, at, value)
         SELECT u.id, to_timestamp(u.ms / 1000), u.value FROM unnest($1::bigint[], $2::float8[], $3::float8[]) AS u(id, ms, value)`,
        [chunk.map((r) => r.seriesId), chunk.map((r) => r.atMs), chunk.map((r) => r.value)],
      );
    }
  });
  return { copy, serverCopy, insert };
}

/** Times `write` into the emptied plain table and checks it wrote every row. */
async function timedRows(db: PgDatabase, rows: number, write: () => Promise<unknown>): Promise<Rate> {
  await db.query(`TRUNCATE ${PLAIN}`);
  const started = process.hrtime.bigint();
  await write();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const written = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${PLAIN}`))[0]?.n);
  if (written !== rows) throw new Error(`baseline wrote ${written} rows, expected ${rows}`);
  return { samples: rows, seconds, perSecond: rows / seconds };
}

async function serverSideCopy(db: PgDatabase, rows: number): Promise<Rate> {
  const file = `/tmp/bench-monitor-${process.pid}.csv`;
  await db.query(`COPY (SELECT series_id, at, value FROM metric_samples) TO '${file}' WITH (FORMAT csv)`);
  try {
    return await timedRows(db, rows, () => db.query(`COPY ${PLAIN} FROM '${file}' WITH (FORMAT csv)`));
  } finally {
    rmSync(file, { force: true });
  }
}

/** Bytes on disk (heap, indexes, TOAST) of a table, or of all partitions of a partitioned one. */
export async function tableBytes(db: PgDatabase, table: string): Promise<number> {
  const [row] = await db.query<{ bytes: string }>(
    `SELECT pg_total_relation_size($1::regclass)
          + coalesce((SELECT sum(pg_total_relation_size(inhrelid)) FROM pg_inherits WHERE inhparent = $1::regclass), 0) AS bytes`,
    [table],
  );
  return Number(row?.bytes ?? 0);
}
