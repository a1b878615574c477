import type { SqlDatabase, SqlExecutor } from '@kailash/backbone';
import { BackboneMetrics, PgDatabase, ProjectionRunner } from '@kailash/backbone';
import { Registry } from 'prom-client';
import type { BenchEnv, ReadingEvent } from './setup';
import { catalog, createReadingsTable, DOMAIN, insertReadings, ReadingRecorded } from './setup';

const wallNow = () => performance.timeOrigin + performance.now();

/**
 * Records, for every event, the time from just before publish to just after the commit of the
 * transaction that projected it.
 */
class CommitClock implements SqlDatabase {
  readonly latencies: number[] = [];
  private inTransaction: number[] = [];

  constructor(private readonly inner: SqlDatabase) {}

  note(sentAt: number): void {
    this.inTransaction.push(sentAt);
  }

  async transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T> {
    this.inTransaction = [];
    const result = await this.inner.transaction(work);
    const committedAt = wallNow();
    for (const sentAt of this.inTransaction) this.latencies.push(committedAt - sentAt);
    return result;
  }

  session: SqlDatabase['session'] = () => this.inner.session();
  query: SqlDatabase['query'] = (sql, params) => this.inner.query(sql, params);
}

/** Publishes at a steady rate into a live projection; returns publish→commit latencies (ms). */
export async function endToEndLatencies(
  env: BenchEnv,
  ratePerSecond: number,
  seconds: number,
  warmupSeconds: number,
): Promise<number[]> {
  const table = 'live_readings';
  await createReadingsTable(env, table);
  const clock = new CommitClock(new PgDatabase(env.database.pool));
  const runner = new ProjectionRunner({
    js: env.js,
    jsm: env.jsm,
    subjects: env.subjects,
    service: 'bench',
    stream: env.subjects.stream(DOMAIN),
    filterSubject: env.subjects.events(DOMAIN),
    db: clock,
    metrics: BackboneMetrics.for(new Registry()),
    batchSize: 500,
    projection: {
      name: table,
      catalog,
      apply: async (event, tx, position) => {
        clock.note((event as ReadingEvent).data.sentAt);
        await insertReadings(tx, table, [{ event, position }]);
      },
      applyBatch: async (events, tx) => {
        for (const { event } of events) clock.note((event as ReadingEvent).data.sentAt);
        await insertReadings(tx, table, events);
      },
    },
  });
  await runner.start();

  const tickMs = 10;
  const perTick = (ratePerSecond * tickMs) / 1000;
  const total = ratePerSecond * seconds;
  const inFlight: Promise<unknown>[] = [];
  const started = wallNow();
  for (let sent = 0; sent < total;) {
    const due = Math.min(total, Math.floor(((wallNow() - started) / tickMs) * perTick));
    for (; sent < due; sent++) {
      inFlight.push(
        env.publisher.publish({
          definition: ReadingRecorded,
          aggregateId: `s${sent % 100}`,
          data: { value: sent, sentAt: wallNow() },
        }),
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  while (clock.latencies.length < total) await new Promise((resolve) => setTimeout(resolve, 20));
  await runner.stop();
  return clock.latencies.slice(ratePerSecond * warmupSeconds);
}
