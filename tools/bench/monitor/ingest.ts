import type { PgDatabase, SqlCopyExecutor, SqlDatabase, SqlExecutor } from '@kailash/backbone';
import { canCopy, readCheckpoint } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import { TELEMETRY_METRICS } from '@kailash/contracts';
import { materialiseRollups } from '../../../apps/monitor-svc/src/series/rollup-materialiser';
import { writeSamples } from '../../../apps/monitor-svc/src/series/sample-writer';
import { SeriesCache } from '../../../apps/monitor-svc/src/series/series-cache';
import { TELEMETRY_INGEST, TelemetryIngest } from '../../../apps/monitor-svc/src/series/telemetry-ingest';
import type { MonitorBenchEnv } from './setup';
import { agentBatch, benchEdgeId } from './setup';

export interface Rate {
  readonly samples: number;
  readonly seconds: number;
  readonly perSecond: number;
}

const rate = (samples: number, startedNs: bigint): Rate => {
  const seconds = Number(process.hrtime.bigint() - startedNs) / 1e9;
  return { samples, seconds, perSecond: samples / seconds };
};

export const WINDOW_MS = 10_000;

/**
 * The agents' path: `edges × windows` metrics batches are queued on TELEMETRY first, then
 * monitor-svc's ingest drains them (pull → one transaction with new series, raw rows, latest
 * values and the checkpoint → ack). Timed from the ingest's start to the checkpoint reaching the
 * last batch.
 */
export async function telemetryIngest(
  env: MonitorBenchEnv,
  options: { edges: number; windows: number; batchSize: number },
): Promise<Rate & { publishedPerSecond: number; retries: number }> {
  const { lastSeq, publishedPerSecond } = await publishWindows(env, options);
  const ingest = startIngest(env, options.batchSize);
  const started = process.hrtime.bigint();
  while ((await readCheckpoint(env.db, TELEMETRY_INGEST)) < lastSeq) await sleep(20);
  const drained = rate(await countSamples(env.db), started);
  await ingest.stop();
  return { ...drained, publishedPerSecond, retries: ingest.retries() };
}

/** `edges × windows` agents' batches queued on TELEMETRY, the newest window ending at `endMs`. */
export async function publishWindows(
  env: MonitorBenchEnv,
  options: { edges: number; windows: number },
): Promise<{ lastSeq: number; endMs: number; publishedPerSecond: number }> {
  const endMs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const publishStart = process.hrtime.bigint();
  let lastSeq = 0;
  for (let w = 0; w < options.windows; w++) {
    const acks = [];
    for (let e = 0; e < options.edges; e++) {
      const edgeId = benchEdgeId(e);
      const batch = agentBatch(edgeId, w + 1, endMs - (options.windows - 1 - w) * WINDOW_MS);
      acks.push(env.js.publish(env.subjects.telemetry(TELEMETRY_METRICS, edgeId), JSON.stringify(batch)));
    }
    for (const ack of await Promise.all(acks)) lastSeq = Math.max(lastSeq, ack.seq);
  }
  const published = rate(options.edges * options.windows, publishStart);
  return { lastSeq, endMs, publishedPerSecond: published.perSecond };
}

/** monitor-svc's ingest started on TELEMETRY; retries counts pulls it had to start again. */
export function startIngest(
  env: MonitorBenchEnv,
  batchSize: number,
  db: SqlDatabase = env.db,
): { stop(): Promise<void>; retries(): number } {
  let retries = 0;
  const ingest = new TelemetryIngest({
    js: env.js,
    jsm: env.jsm,
    subjects: env.subjects,
    db,
    service: 'monitor-svc',
    policy: env.policy,
    nowMs: () => Date.now(),
    batchSize,
    logger: {
      info: () => undefined,
      warn: (msg, meta) => {
        retries++;
        console.warn(msg, meta);
      },
      error: (msg, meta) => console.error(msg, meta),
    },
  });
  ingest.start();
  return { stop: () => ingest.stop(), retries: () => retries };
}

/** record_metric's path: the same writer in one transaction per request of `perRequest` samples. */
export async function recordPath(
  env: MonitorBenchEnv,
  options: { series: number; samples: number; perRequest: number },
): Promise<Rate & { statementSeconds: Map<string, number> }> {
  const endMs = Math.floor(Date.now() / WINDOW_MS) * WINDOW_MS;
  const rounds = Math.ceil(options.samples / options.series);
  const samples: MetricSample[] = [];
  for (let r = 0; r < rounds; r++)
    for (let s = 0; s < options.series; s++)
      samples.push({
        edgeId: `rec-${s % 100}`,
        metric: 'custom.bench',
        labels: { n: String(Math.floor(s / 100)) },
        value: Math.sin(r + s),
        at: new Date(endMs - (rounds - r) * WINDOW_MS).toISOString(),
      });
  const statements = new Map<string, number>();
  const cache = new SeriesCache();
  const started = process.hrtime.bigint();
  for (let i = 0; i < samples.length; i += options.perRequest)
    await cache.within((series) =>
      env.db.transaction((tx) =>
        writeSamples(timed(tx, statements), samples.slice(i, i + options.perRequest), series),
      ),
    );
  const result = rate(samples.length, started);
  return { ...result, statementSeconds: statements };
}

/**
 * The materialiser folding everything written so far (every minute closed: now is 2 minutes on),
 * each raw row read once into both rollups. Timed to its last transaction's commit.
 */
export async function materialiseAll(env: MonitorBenchEnv): Promise<Rate> {
  const started = process.hrtime.bigint();
  const outcome = await materialiseRollups(env.db, Date.now() + 2 * 60_000);
  return rate(outcome.samples, started);
}

/** Keys `timedDatabase` adds for the parts of a transaction that are not its statements. */
export const TRANSACTION_EDGES = 'BEGIN, COMMIT (its WAL flush), connection';
export const BETWEEN_STATEMENTS = 'in Node between statements (own work, and other parts on the event loop)';

/**
 * `db` with each statement's wall time added to `into` as `timed` does, and the rest of each
 * transaction split into its edges (connect, BEGIN, COMMIT) and the time between its statements.
 */
export function timedDatabase(db: SqlDatabase, into: Map<string, number>): SqlDatabase {
  const add = (key: string, seconds: number) => into.set(key, (into.get(key) ?? 0) + seconds);
  const since = (ns: bigint) => Number(process.hrtime.bigint() - ns) / 1e9;
  return {
    query: (sql, params) => timed(db, into).query(sql, params),
    session: () => db.session(),
    transaction: async (work) => {
      const started = process.hrtime.bigint();
      const statements = new Map<string, number>();
      let inside = 0;
      try {
        return await db.transaction(async (tx) => {
          const entered = process.hrtime.bigint();
          try {
            return await work(timed(tx, statements));
          } finally {
            inside = since(entered);
          }
        });
      } finally {
        const spent = [...statements.values()].reduce((a, b) => a + b, 0);
        for (const [key, seconds] of statements) add(key, seconds);
        add(TRANSACTION_EDGES, since(started) - inside);
        add(BETWEEN_STATEMENTS, inside - spent);
      }
    },
  };
}

/** Adds each statement's wall time to `into`, keyed by its first words (the table it writes). */
export function timed(tx: SqlExecutor, into: Map<string, number>): SqlExecutor {
  const measure = async <T>(sql: string, run: () => Promise<T>): Promise<T> => {
    const started = process.hrtime.bigint();
    try {
      return await run();
    } finally {
      const flat = sql.replace(/\s+/g, ' ').trim();
      const table = /(?:INTO|UPDATE|FROM|COPY) (\w+)/.exec(flat)?.[1]?.replace(/_p\d{6,8}$/, '') ?? '?';
      const key = `${flat.split(' ')[0]} ${table}`;
      into.set(key, (into.get(key) ?? 0) + Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
  const executor: SqlExecutor = { query: (sql, params) => measure(sql, () => tx.query(sql, params)) };
  if (!canCopy(tx)) return executor;
  const copying: SqlCopyExecutor = {
    ...executor,
    copyFrom: (sql, chunks) => measure(sql, () => tx.copyFrom(sql, chunks)),
  };
  return copying;
}

export async function countSamples(db: PgDatabase, table = 'metric_samples'): Promise<number> {
  return Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
