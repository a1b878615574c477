import { rmSync } from 'node:fs';
import type { PgDatabase } from '@kailash/backbone';
import type { Rate } from './ingest';

const PLAIN = 'bench_plain_samples';

/**
 * The same rows as the ingest wrote (series_id, at, value), written bare into a plain table with
 * no index and no rollups: once by a server-side COPY from a file (node-postgres has no COPY FROM
 * STDIN without pg-copy-streams, which is not a dependency), once by the best multi-row INSERT.
 */
export async function bareBaselines(
  db: PgDatabase,
  options: { insertChunk: number },
): Promise<{ copy: Rate; insert: Rate }> {
  const file = `/tmp/bench-monitor-${process.pid}.csv`;
  await db.query(
    `CREATE TABLE ${PLAIN} (series_id bigint NOT NULL, at timestamptz NOT NULL, value double precision NOT NULL)`,
  );
  await db.query(`COPY (SELECT series_id, at, value FROM metric_samples) TO '${file}' WITH (FORMAT csv)`);
  try {
    const copyStart = process.hrtime.bigint();
    await db.query(`COPY ${PLAIN} FROM '${file}' WITH (FORMAT csv)`);
    const copySeconds = Number(process.hrtime.bigint() - copyStart) / 1e9;
    const rows = Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${PLAIN}`))[0]?.n);
    const copy = { samples: rows, seconds: copySeconds, perSecond: rows / copySeconds };
    const data = await db.query<{ series_id: string; at: Date; value: number }>(`SELECT * FROM ${PLAIN}`);
    await db.query(`TRUNCATE ${PLAIN}`);
    const insertStart = process.hrtime.bigint();
    for (let i = 0; i < data.length; i += options.insertChunk) {
      const chunk = data.slice(i, i + options.insertChunk);
      await db.query(
        `INSERT INTO ${PLAIN} (series_id, at, value) SELECT * FROM unnest($1::bigint[], $2::timestamptz[], $3::float8[])`,
        [chunk.map((r) => r.series_id), chunk.map((r) => r.at.toISOString()), chunk.map((r) => r.value)],
      );
    }
    const insertSeconds = Number(process.hrtime.bigint() - insertStart) / 1e9;
    return {
      copy,
      insert: { samples: data.length, seconds: insertSeconds, perSecond: data.length / insertSeconds },
    };
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
