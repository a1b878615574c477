import { HybridLogicalClock } from '@kailash/hlc';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, streamOf, TEST_DOMAIN } from '../../test/fixtures';
import { RequestContext } from '../context/request-context';
import { EventPublisher } from '../publishing/event-publisher';
import { AggregateStore } from './aggregate-store';
import type { AggregateDefinition, LoadStrategy } from './decider';

type Counter = { total: number; count: number };

const counter = (
  load?: LoadStrategy<Counter>,
): AggregateDefinition<Counter, { id: string; by: number }, CounterEvent> => ({
  type: 'counter',
  initialState: () => ({ total: 0, count: 0 }),
  evolve: (state, event) => ({ total: state.total + event.data.by, count: state.count + 1 }),
  decide: ({ id, by }) => [{ definition: CounterIncremented, aggregateId: id, data: { by } }],
  maxAttempts: 64,
  ...(load ? { load } : {}),
});

describe('AggregateStore against JetStream', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  const publisherWith = (clock: HybridLogicalClock) =>
    new EventPublisher({
      js: harness.js,
      subjects: harness.subjects,
      domain: TEST_DOMAIN,
      clock,
      source: { service: 'test', instance: clock.nodeId },
      catalog: counterCatalog,
      metrics: harness.metrics,
    });
  const storeOf = (definition = counter(), publisher = harness.publisher(), cacheSize?: number) =>
    new AggregateStore(
      {
        jsm: harness.jsm,
        subjects: harness.subjects,
        domain: TEST_DOMAIN,
        catalog: counterCatalog,
        publisher,
        maxBackoffMs: 5,
        ...(cacheSize === undefined ? {} : { cacheSize }),
      },
      definition,
    );
  const consumerCount = async () =>
    (await harness.jsm.streams.info(streamOf(harness.subjects))).state.consumer_count;

  describe('loading', () => {
    const seqs: number[] = [];
    beforeAll(async () => {
      const publisher = harness.publisher();
      for (let i = 1; i <= 120; i++) {
        seqs.push(
          (await publisher.publish({ definition: CounterIncremented, aggregateId: 'long', data: { by: i } }))
            .seq,
        );
        if (i % 30 === 0)
          await publisher.publish({
            definition: CounterIncremented,
            aggregateId: 'other',
            data: { by: 1000 },
          });
      }
    });

    it('folds every event of one subject, ignoring other subjects, without creating a consumer', async () => {
      const before = await consumerCount();
      const loaded = await storeOf().load('long');
      expect(loaded).toEqual({
        state: { total: (120 * 121) / 2, count: 120 },
        version: seqs[119],
        events: 120,
        lastHlc: expect.any(String),
      });
      expect(await consumerCount()).toBe(before);
    });

    it('starts from a snapshot, given the aggregate id, and reads only the tail after it', async () => {
      const asked: string[] = [];
      const store = storeOf(
        counter({
          kind: 'replay',
          snapshotOf: async (id) => (
            asked.push(id),
            { state: { total: (100 * 101) / 2, count: 100 }, seq: seqs[99] as number }
          ),
        }),
      );
      const loaded = await store.load('long');
      expect(loaded).toMatchObject({ state: { total: (120 * 121) / 2, count: 120 }, events: 20 });
      expect(asked).toEqual(['long']);
    });

    it('ignores a snapshot from beyond the stream and replays', async () => {
      const store = storeOf(
        counter({
          kind: 'replay',
          snapshotOf: async () => ({ state: { total: -1, count: -1 }, seq: 10_000_000 }),
        }),
      );
      expect(await store.load('long')).toMatchObject({ state: { total: (120 * 121) / 2 }, events: 120 });
    });

    it('answers a cached aggregate without replay while it is current, and replays only what was added since', async () => {
      const store = storeOf();
      await store.load('long');
      expect((await store.load('long')).events).toBe(0);
      await harness
        .publisher('elsewhere')
        .publish({ definition: CounterIncremented, aggregateId: 'long', data: { by: 1 } });
      expect(await store.load('long')).toMatchObject({
        state: { total: (120 * 121) / 2 + 1, count: 121 },
        events: 1,
      });
    });

    it('answers the initial state and version 0 for an aggregate with no events', async () => {
      expect(await storeOf().load('never')).toEqual({ state: { total: 0, count: 0 }, version: 0, events: 0 });
    });

    it('in last-event mode reads only the last event and keeps its HLC stamp', async () => {
      const lastOnly = storeOf(counter({ kind: 'last-event' }));
      const loaded = await lastOnly.load('long');
      expect(loaded.events).toBe(1);
      expect(loaded.state.count).toBe(1);
      expect(loaded.lastHlc).toEqual(expect.any(String));
    });
  });

  it('keys aggregates by type and id, so ids with escaped characters never collide or get re-parsed', async () => {
    const store = storeOf();
    await store.handle('a_b', { id: 'a_b', by: 1 });
    await store.handle('a-b', { id: 'a-b', by: 2 });
    expect((await storeOf().load('a_b')).state.total).toBe(1);
    expect((await storeOf().load('a-b')).state.total).toBe(2);
  });

  it('16 concurrent clients on one hot aggregate and on distinct ones lose no update and create no consumer', async () => {
    const before = await consumerCount();
    const store = storeOf();
    const clients = Array.from({ length: 16 }, (_, client) => client);
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < 10; i++) {
          await store.handle('hot', { id: 'hot', by: 1 });
          await store.handle(`cold-${client}`, { id: `cold-${client}`, by: 1 });
        }
      }),
    );
    expect((await storeOf().load('hot')).state).toEqual({ total: 160, count: 160 });
    for (const client of clients) expect((await storeOf().load(`cold-${client}`)).state.total).toBe(10);
    expect(await consumerCount()).toBe(before);
  });

  it('two instances racing on one aggregate: optimistic concurrency decides and no update is lost', async () => {
    const [one, two] = [
      storeOf(counter(), harness.publisher('one')),
      storeOf(counter(), harness.publisher('two')),
    ];
    await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? one : two).handle('raced', { id: 'raced', by: 1 })).concat(
        Array.from({ length: 8 }, (_, i) => (i % 2 ? two : one).handle('raced', { id: 'raced', by: 1 })),
      ),
    );
    expect((await storeOf().load('raced')).state.total).toBe(16);
  });

  it('decides on its cached state, yet never refuses a command because of a stale cache', async () => {
    // Refuses to add to an odd total: a cached odd total that another instance has since made even must not refuse.
    const evenOnly: AggregateDefinition<Counter, { id: string; by: number }, CounterEvent> = {
      ...counter(),
      decide: (command, state) => {
        if (state.total % 2 === 1) throw new Error(`odd total ${state.total}`);
        return counter().decide(command, state);
      },
    };
    const [one, two] = [
      storeOf(evenOnly, harness.publisher('one')),
      storeOf(evenOnly, harness.publisher('two')),
    ];
    await one.handle('stale', { id: 'stale', by: 1 }); // one caches total 1
    await expect(two.handle('stale', { id: 'stale', by: 1 })).rejects.toThrow('odd total 1');
    await harness
      .publisher('three')
      .publish({ definition: CounterIncremented, aggregateId: 'stale', data: { by: 1 } });
    expect((await one.handle('stale', { id: 'stale', by: 2 })).state.total).toBe(4);
    // A stale cache that would append is caught by the expected sequence and decided again.
    await harness
      .publisher('three')
      .publish({ definition: CounterIncremented, aggregateId: 'stale', data: { by: 10 } });
    expect((await one.handle('stale', { id: 'stale', by: 2 })).state.total).toBe(16);
  });

  it('stamps what it appends after the event it decided on, even when its own clock runs behind', async () => {
    const ahead = storeOf(
      counter(),
      publisherWith(new HybridLogicalClock({ nodeId: 'ahead', physicalClock: () => Date.now() + 300 })),
    );
    const behind = storeOf(
      counter({ kind: 'last-event' }),
      publisherWith(new HybridLogicalClock({ nodeId: 'behind' })),
    );
    const first = await ahead.handle('hlc', { id: 'hlc', by: 1 });
    const second = await behind.handle('hlc', { id: 'hlc', by: 2 });
    expect((second.published[0]?.event.hlc ?? '') > (first.published[0]?.event.hlc ?? '~')).toBe(true);
  });

  it('records the appended sequence in the request context and stamps its correlation id', async () => {
    const scope = { correlationId: 'corr-1' };
    const result = await RequestContext.run(scope, () => storeOf().handle('ctx', { id: 'ctx', by: 1 }));
    expect(result.published[0]?.event.correlationId).toBe('corr-1');
    expect(RequestContext.run(scope, () => RequestContext.current()?.lastSequence)).toBe(result.version);
  });

  it('returns the state the winning decision was made on', async () => {
    const store = storeOf();
    await store.handle('decided', { id: 'decided', by: 5 });
    const result = await storeOf().handle('decided', { id: 'decided', by: 1 });
    expect(result.decidedOn.total).toBe(5);
    expect(result.state.total).toBe(6);
  });
});
