import { nanos } from '@nats-io/transport-node';
import { eventually, readStoredEvents } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import { CounterIncremented, streamOf, TEST_DOMAIN } from '../../test/fixtures';
import { RequestContext } from '../context/request-context';
import type { SqlExecutor } from '../projection/sql';
import type { OutboxEntry, OutboxStore } from './outbox';
import { OUTBOX_ATTEMPTS_DDL } from './outbox';
import { flushOutbox, OutboxFlushError } from './outbox-flusher';

/** Small enough to wait out in a test; the real streams keep two minutes. */
const DUPLICATE_WINDOW_MS = 300;

const OUTBOX_DDL = `CREATE TABLE counter_outbox (
  position bigserial PRIMARY KEY, id text UNIQUE NOT NULL, counter text NOT NULL, amount int NOT NULL, actor text)`;

interface CounterRow {
  id: string;
  counter: string;
  amount: number;
  actor: string | null;
}

const counterOutbox: OutboxStore = {
  pending: async (db, limit) =>
    (
      await db.query<CounterRow>(
        'SELECT id, counter, amount, actor FROM counter_outbox ORDER BY position LIMIT $1',
        [limit],
      )
    ).map((row) => ({
      draft: {
        definition: CounterIncremented,
        aggregateId: row.counter,
        data: { by: row.amount },
        id: row.id,
      },
      actor: row.actor,
    })),
  retire: async (db, entry) => {
    await db.query('DELETE FROM counter_outbox WHERE id = $1', [entry.draft.id]);
  },
};

/** The process dying after JetStream stored `eventId` and before its row was deleted. */
const crashingBeforeRetiring = (eventId: string): OutboxStore => ({
  pending: counterOutbox.pending,
  retire: async (db, entry: OutboxEntry) => {
    if (entry.draft.id === eventId) throw new Error('killed before the delete');
    await counterOutbox.retire(db, entry);
  },
});

describe('transactional outbox against JetStream and PostgreSQL', () => {
  let harness: Harness;
  beforeAll(async () => {
    harness = await openHarness();
    const stream = streamOf(harness.subjects);
    const { config } = await harness.jsm.streams.info(stream);
    await harness.jsm.streams.update(stream, { ...config, duplicate_window: nanos(DUPLICATE_WINDOW_MS) });
    await harness.db.query(OUTBOX_ATTEMPTS_DDL);
    await harness.db.query(OUTBOX_DDL);
  }, 30_000);
  afterAll(() => harness.close(), 30_000);

  const enqueue = (
    tx: SqlExecutor,
    id: string,
    counter: string,
    amount: number,
    actor: string | null = null,
  ) =>
    tx.query('INSERT INTO counter_outbox (id, counter, amount, actor) VALUES ($1, $2, $3, $4)', [
      id,
      counter,
      amount,
      actor,
    ]);
  const storedOn = (counter: string) =>
    readStoredEvents(
      harness.jsm,
      streamOf(harness.subjects),
      harness.subjects.event(TEST_DOMAIN, 'counter', counter),
    );
  const outboxIds = async () =>
    (await harness.db.query<{ id: string }>('SELECT id FROM counter_outbox ORDER BY position')).map(
      (r) => r.id,
    );
  const flush = (store: OutboxStore = counterOutbox) =>
    flushOutbox({ db: harness.db, publisher: harness.publisher(), store });

  it('publishes committed rows in their order and deletes each', async () => {
    await harness.db.transaction(async (tx) => {
      for (const [i, counter] of ['a', 'b', 'a', 'a', 'b'].entries())
        await enqueue(tx, `order-${i}`, `o-${counter}`, i);
    });
    expect(await flush()).toBe(5);
    expect((await storedOn('o-a')).map((e) => e.envelope['id'])).toEqual(['order-0', 'order-2', 'order-3']);
    expect((await storedOn('o-b')).map((e) => e.envelope['id'])).toEqual(['order-1', 'order-4']);
    expect(await outboxIds()).toEqual([]);
  });

  it('holds an aggregate back behind its failed event while the others go on', async () => {
    await harness.db.transaction(async (tx) => {
      await enqueue(tx, 'held-1', 'h-x', 1);
      await enqueue(tx, 'held-2', 'h-x', 2);
      await enqueue(tx, 'held-3', 'h-y', 3);
    });
    await expect(flush(crashingBeforeRetiring('held-1'))).rejects.toBeInstanceOf(OutboxFlushError);
    expect(await outboxIds()).toEqual(['held-1', 'held-2']);
    expect((await storedOn('h-x')).map((e) => e.envelope['id'])).toEqual(['held-1']);
    expect((await storedOn('h-y')).map((e) => e.envelope['id'])).toEqual(['held-3']);
  });

  it('does not store an event twice when it is flushed again after the duplicate window', async () => {
    const publisher = harness.publisher();
    await enqueue(harness.db, 'late-1', 'late', 1);
    await expect(flush(crashingBeforeRetiring('late-1'))).rejects.toBeInstanceOf(OutboxFlushError);
    // Another writer of the same aggregate after the crash: the outboxed event is no longer the last.
    await publisher.publish({
      definition: CounterIncremented,
      aggregateId: 'late',
      data: { by: 7 },
      id: 'direct',
    });

    const probe = {
      definition: CounterIncremented,
      aggregateId: 'window-probe',
      data: { by: 0 },
      id: 'probe',
    };
    await publisher.publish(probe);
    // JetStream forgets ids oldest first: once it stores the probe's id again, it forgot late-1's too.
    const window = DUPLICATE_WINDOW_MS * 20;
    await eventually(
      'the duplicate window to pass',
      () => publisher.publish(probe),
      (r) => !r.duplicate,
      window,
    );

    expect(await flush()).toBe(1);
    expect((await storedOn('late')).map((e) => e.envelope['id'])).toEqual(['late-1', 'direct']);
    expect(await outboxIds()).toEqual([]);
  }, 30_000);

  it('publishes as the stored actor, never as the request that flushes', async () => {
    await harness.db.transaction(async (tx) => {
      await enqueue(tx, 'actor-1', 'actor', 1, 'alice');
      await enqueue(tx, 'actor-2', 'actor', 2);
    });
    await RequestContext.run({ principal: 'mallory' }, () => flush());
    expect((await storedOn('actor')).map((e) => e.envelope['actor'] ?? 'none')).toEqual(['alice', 'none']);
  });
});
