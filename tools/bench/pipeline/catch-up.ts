import type { SqlExecutor } from '@kailash/backbone';
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { PgDatabase, ProjectionRunner, readCheckpoint } from '@kailash/backbone';
import { Registry } from 'prom-client';
import { BackboneMetrics } from '@kailash/backbone';
import type { BenchEnv } from './setup';
import { catalog, createReadingsTable, DOMAIN, insertReadings } from './setup';

/** Baseline: a bare durable pull consumer that only acknowledges. Returns events/s. */
export async function rawConsumerRate(env: BenchEnv, count: number, batch: number): Promise<number> {
  const stream = env.subjects.stream(DOMAIN);
  const durable = `raw_${batch}`;
  await env.jsm.consumers.add(stream, {
    durable_name: durable,
    ack_policy: AckPolicy.Explicit,
    deliver_policy: DeliverPolicy.All,
    max_ack_pending: batch * 2,
  });
  const consumer = await env.js.consumers.get(stream, durable);
  const started = performance.now();
  const messages = await consumer.consume({ max_messages: batch * 2 });
  let seen = 0;
  for await (const msg of messages) {
    msg.ack();
    if (++seen >= count) break;
  }
  const seconds = (performance.now() - started) / 1000;
  await env.jsm.consumers.delete(stream, durable);
  return count / seconds;
}

/** Catch-up projection of `count` events (from the start of the stream) with one batch size. */
export async function projectionRate(
  env: BenchEnv,
  count: number,
  lastSeqOfCount: number,
  batch: number,
): Promise<number> {
  const name = `catchup_${batch}`;
  await createReadingsTable(env, name);
  const db = new PgDatabase(env.database.pool);
  const runner = new ProjectionRunner({
    js: env.js,
    jsm: env.jsm,
    subjects: env.subjects,
    service: 'bench',
    stream: env.subjects.stream(DOMAIN),
    filterSubject: env.subjects.events(DOMAIN),
    db,
    metrics: BackboneMetrics.for(new Registry()),
    batchSize: batch,
    projection: {
      name,
      catalog,
      apply: (event, tx, position) => insertReadings(tx, name, [{ event, position }]),
      applyBatch: (events, tx: SqlExecutor) => insertReadings(tx, name, events),
    },
  });
  const started = performance.now();
  await runner.start();
  while ((await readCheckpoint(db, name)) < lastSeqOfCount) await new Promise((r) => setTimeout(r, 5));
  const seconds = (performance.now() - started) / 1000;
  await runner.stop();
  return count / seconds;
}
