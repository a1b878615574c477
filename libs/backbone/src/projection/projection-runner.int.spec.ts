import { headers } from '@nats-io/transport-node';
import { eventually } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, insertApplied, streamOf } from '../../test/fixtures';
import { readCheckpoint } from './checkpoints';
import type { ProjectionRunnerOptions } from './projection-runner';
import { ProjectionRunner } from './projection-runner';

describe('ProjectionRunner against JetStream and PostgreSQL', () => {
  let harness: Harness;
  const attemptsOnPoison: number[] = [];
  let runner: ProjectionRunner;
  let options: ProjectionRunnerOptions;

  const appliedCount = async () =>
    Number((await harness.database.pool.query('SELECT count(*) AS n FROM applied')).rows[0].n);
  const dlqMessages = async () => {
    const info = await harness.jsm.streams.info(harness.subjects.deadLetterStream());
    return info.state.messages;
  };
  const publish = (aggregateId: string, data: { by: number; poison?: boolean }) =>
    harness.publisher().publish({ definition: CounterIncremented, aggregateId, data });

  beforeAll(async () => {
    harness = await openHarness();
    options = {
      js: harness.js,
      jsm: harness.jsm,
      subjects: harness.subjects,
      service: 'test',
      stream: streamOf(harness.subjects),
      filterSubject: harness.subjects.events('state'),
      db: harness.db,
      metrics: harness.metrics,
      batchSize: 50,
      maxDeliver: 3,
      retryDelayMs: () => 20,
      projection: {
        name: 'counters',
        catalog: counterCatalog,
        apply: async (event, tx, position) => {
          const counter = event as CounterEvent;
          if (counter.data.poison) {
            attemptsOnPoison.push(position.seq);
            throw new Error('handler refuses poison');
          }
          await insertApplied(tx, counter, position.seq);
        },
      },
    };
    runner = new ProjectionRunner(options);
    await runner.start();
  });
  afterAll(async () => {
    await runner.stop();
    await harness.close();
  });

  it('applies events once and stores the checkpoint at the last sequence', async () => {
    let last = 0;
    for (let i = 0; i < 120; i++) last = (await publish(`c${i % 7}`, { by: 1 })).seq;
    await eventually('120 applied rows', appliedCount, (n) => n === 120);
    await eventually(
      'checkpoint at last seq',
      () => readCheckpoint(harness.db, 'counters'),
      (cp) => cp === last,
    );
    expect(runner.status).toBe('active');
  });

  it('dead-letters a malformed message with its reason and keeps going', async () => {
    const before = await appliedCount();
    const subject = harness.subjects.event('state', 'counter', 'junk');
    const h = headers();
    h.set('X-Origin', 'test');
    await harness.js.publish(subject, '{not json', { headers: h });
    await harness.js.publish(subject, JSON.stringify({ id: 'x', type: 'counter.incremented' }));
    const after = await publish('after-junk', { by: 5 });

    await eventually('the event after the junk applied', appliedCount, (n) => n === before + 1);
    const dead = await eventually('two dead letters', dlqMessages, (n) => n >= 2);
    expect(dead).toBe(2);
    const dlqStream = harness.subjects.deadLetterStream();
    const first = await harness.jsm.streams.getMessage(dlqStream, { seq: 1 });
    expect(first?.subject).toBe(harness.subjects.deadLetter('test', 'counters'));
    expect(first?.header.get('Kailash-Dlq-Reason')).toBe('invalid-json');
    expect(first?.header.get('X-Origin')).toBe('test');
    expect(first?.string()).toBe('{not json');
    const second = await harness.jsm.streams.getMessage(dlqStream, { seq: 2 });
    expect(second?.header.get('Kailash-Dlq-Reason')).toBe('invalid-envelope');
    expect(second?.header.get('Kailash-Dlq-Detail')).toMatch(/aggregate/);
    await eventually(
      'checkpoint past the junk',
      () => readCheckpoint(harness.db, 'counters'),
      (cp) => cp === after.seq,
    );
  });

  it('retries a throwing handler maxDeliver times, then dead-letters it and moves on', async () => {
    const dlqBefore = await dlqMessages();
    const appliedBefore = await appliedCount();
    // As a command handler publishes: with an expected last subject sequence (a JetStream header).
    const poison = await harness
      .publisher()
      .publish(
        { definition: CounterIncremented, aggregateId: 'poisoned', data: { by: 1, poison: true } },
        { expectedLastSubjectSequence: 0 },
      );
    await publish('poisoned', { by: 2 });

    await eventually('the event after the poison applied', appliedCount, (n) => n === appliedBefore + 1);
    expect(attemptsOnPoison.filter((seq) => seq === poison.seq).length).toBeGreaterThanOrEqual(3);
    expect(await dlqMessages()).toBe(dlqBefore + 1);
    const dead = await harness.jsm.streams.getMessage(harness.subjects.deadLetterStream(), {
      seq: dlqBefore + 1,
    });
    expect(dead?.header.get('Kailash-Dlq-Reason')).toBe('handler-failed');
    expect(dead?.header.get('Kailash-Dlq-Detail')).toMatch(/handler refuses poison/);
    expect(Number(dead?.header.get('Kailash-Dlq-Sequence'))).toBe(poison.seq);
    expect(dead?.header.get('Kailash-Dlq-Orig-Nats-Expected-Last-Subject-Sequence')).toBe('0');
    expect(dead?.header.get('Kailash-Dlq-Orig-Nats-Msg-Id')).toBe(poison.event.id);
    const rows = await harness.database.pool.query('SELECT amount FROM applied WHERE counter = $1', [
      'poisoned',
    ]);
    expect(rows.rows).toEqual([{ amount: 2 }]);
  });

  it('skips events at or below the checkpoint when the server delivers them again', async () => {
    await runner.stop();
    const applied = await appliedCount();
    // A slow batch outlives the ack wait: the server redelivers what it holds, already applied by then.
    let slowOnce = true;
    const slow = new ProjectionRunner({
      ...options,
      batchSize: 10,
      ackWaitMs: 1000,
      projection: {
        ...options.projection,
        apply: async (event, tx, position) => {
          if (slowOnce) {
            slowOnce = false;
            await new Promise((resolve) => setTimeout(resolve, 2500));
          }
          await options.projection.apply(event, tx, position);
        },
      },
    });
    let last = 0;
    for (let i = 0; i < 15; i++) last = (await publish(`slow${i % 2}`, { by: 1 })).seq;
    await slow.start();
    await eventually('15 new rows', appliedCount, (n) => n === applied + 15);
    await eventually(
      'checkpoint at the last',
      () => readCheckpoint(harness.db, 'counters'),
      (cp) => cp === last,
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await slow.stop();
    expect(await appliedCount()).toBe(applied + 15);
    const metrics = await harness.registry.getSingleMetricAsString('kailash_events_skipped_total');
    expect(Number(/counters"} (\d+)/.exec(metrics)?.[1])).toBeGreaterThan(0);
  });

  it('resumes after the checkpoint when a projector takes over, whatever the server still holds', async () => {
    const applied = await appliedCount();
    for (let i = 0; i < 5; i++) await publish('resume', { by: i });
    const resumed = new ProjectionRunner(options);
    await resumed.start();
    await eventually('5 new rows', appliedCount, (n) => n === applied + 5);
    await resumed.stop();
    const duplicates = await harness.database.pool.query(
      'SELECT seq FROM applied GROUP BY seq HAVING count(*) > 1',
    );
    expect(duplicates.rows).toEqual([]);
  });

  it('keeps one active projector across instances and fails over when it stops', async () => {
    const first = new ProjectionRunner({ ...options, standbyPollMs: 50 });
    const second = new ProjectionRunner({ ...options, standbyPollMs: 50 });
    await first.start();
    await eventually(
      'first active',
      async () => first.status,
      (status) => status === 'active',
    );
    await second.start();
    const before = await appliedCount();
    for (let i = 0; i < 40; i++) await publish(`ha${i % 3}`, { by: 1 });
    await eventually('40 applied by the active one', appliedCount, (n) => n === before + 40);
    expect(second.status).toBe('standby');

    await first.stop();
    await eventually(
      'second takes over',
      async () => second.status,
      (status) => status === 'active',
    );
    const last = await publish('after-failover', { by: 1 });
    await eventually('applied after failover', appliedCount, (n) => n === before + 41);
    await second.stop();
    expect(await readCheckpoint(harness.db, 'counters')).toBe(last.seq);
    const duplicates = await harness.database.pool.query(
      'SELECT seq FROM applied GROUP BY seq HAVING count(*) > 1',
    );
    expect(duplicates.rows).toEqual([]);
  });
});
