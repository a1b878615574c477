import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import { encodeHlc, HybridLogicalClock } from '@kailash/hlc';
import { counterCatalog, CounterIncremented, streamOf } from '../../test/fixtures';
import { ConcurrencyConflictError } from '../errors';
import { seedClockFromStream } from '../streams/clock-seed';
import { EventPublisher } from './event-publisher';

describe('EventPublisher against JetStream', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  it('stores a duplicate publish once and reports it as a duplicate', async () => {
    const publisher = harness.publisher();
    const draft = { definition: CounterIncremented, aggregateId: 'dup', data: { by: 1 }, id: 'fixed-id-1' };
    const first = await publisher.publish(draft);
    const second = await publisher.publish(draft);
    expect(first.duplicate).toBe(false);
    expect(second.duplicate).toBe(true);
    expect(second.seq).toBe(first.seq);
    const info = await harness.jsm.streams.info(streamOf(harness.subjects), {
      subjects_filter: first.subject,
    });
    expect(info.state.subjects?.[first.subject]).toBe(1);
  });

  it('stamps the envelope with an HLC, headers and the aggregate subject', async () => {
    const published = await harness.publisher('node-a').publish({
      definition: CounterIncremented,
      aggregateId: 'stamped',
      data: { by: 2 },
      correlationId: 'corr-1',
    });
    const stored = await harness.jsm.streams.getMessage(streamOf(harness.subjects), { seq: published.seq });
    expect(stored?.subject).toBe(harness.subjects.event('state', 'counter', 'stamped'));
    expect(stored?.header.get('Kailash-Event-Type')).toBe('counter.incremented');
    expect(stored?.header.get('Nats-Msg-Id')).toBe(published.event.id);
    expect(stored?.header.get('Kailash-Hlc')).toBe(published.event.hlc);
    expect(stored?.json()).toEqual(expect.objectContaining({ correlationId: 'corr-1', data: { by: 2 } }));
  });

  it('reports an optimistic-concurrency conflict and never loses the winning write', async () => {
    const [writerA, writerB] = [harness.publisher('a'), harness.publisher('b')];
    const base = await writerA.publish({
      definition: CounterIncremented,
      aggregateId: 'race',
      data: { by: 1 },
    });
    const attempts = await Promise.allSettled([
      writerA.publish(
        { definition: CounterIncremented, aggregateId: 'race', data: { by: 10 } },
        { expectedLastSubjectSequence: base.seq },
      ),
      writerB.publish(
        { definition: CounterIncremented, aggregateId: 'race', data: { by: 20 } },
        { expectedLastSubjectSequence: base.seq },
      ),
    ]);
    const won = attempts.filter((attempt) => attempt.status === 'fulfilled');
    const lost = attempts.filter(
      (attempt): attempt is PromiseRejectedResult => attempt.status === 'rejected',
    );
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(1);
    expect(lost[0]?.reason).toBeInstanceOf(ConcurrencyConflictError);
    const info = await harness.jsm.streams.info(streamOf(harness.subjects), {
      subjects_filter: base.subject,
    });
    expect(info.state.subjects?.[base.subject]).toBe(2);
    const conflicts = await harness.registry.getSingleMetricAsString(
      'kailash_events_concurrency_conflicts_total',
    );
    expect(conflicts).toMatch(/ 1$/m);
  });

  it('refuses a create when the aggregate already exists (expected sequence 0)', async () => {
    const publisher = harness.publisher();
    await publisher.publish(
      { definition: CounterIncremented, aggregateId: 'once', data: { by: 1 } },
      { expectedLastSubjectSequence: 0 },
    );
    await expect(
      publisher.publish(
        { definition: CounterIncremented, aggregateId: 'once', data: { by: 1 } },
        { expectedLastSubjectSequence: 0 },
      ),
    ).rejects.toBeInstanceOf(ConcurrencyConflictError);
  });

  it('settles a publish whose ack was lost by sending the same message again: stored once, no false failure', async () => {
    let loseNextAck = true;
    const lossy = {
      ...harness.js,
      publish: async (...args: Parameters<typeof harness.js.publish>) => {
        const ack = await harness.js.publish(...args); // really stored on the server
        if (loseNextAck) {
          loseNextAck = false;
          throw new Error('TIMEOUT: the ack never arrived');
        }
        return ack;
      },
    } as typeof harness.js;
    const publisher = new EventPublisher({
      ...publisherOptions(harness),
      js: lossy,
      clock: new HybridLogicalClock({ nodeId: 'lossy' }),
    });
    const published = await publisher.publish(
      { definition: CounterIncremented, aggregateId: 'lost-ack', data: { by: 1 } },
      { expectedLastSubjectSequence: 0 },
    );
    expect(published.duplicate).toBe(true);
    const info = await harness.jsm.streams.info(streamOf(harness.subjects), {
      subjects_filter: published.subject,
    });
    expect(info.state.subjects?.[published.subject]).toBe(1);
    expect(loseNextAck).toBe(false);
  });

  it('refuses invalid data before anything reaches the stream', async () => {
    const before = await harness.jsm.streams.info(streamOf(harness.subjects));
    await expect(
      harness.publisher().publish({ definition: CounterIncremented, aggregateId: 'bad', data: { by: 1.5 } }),
    ).rejects.toThrow(/by: /);
    const after = await harness.jsm.streams.info(streamOf(harness.subjects));
    expect(after.state.messages).toBe(before.state.messages);
  });

  it.each([
    ['id', { id: 'not an id' }],
    ['correlationId', { correlationId: 'has space' }],
    ['causationId', { causationId: 'a.b' }],
    ['deps.1', { deps: ['ok', 'x>'] }],
    ['note', { data: { by: 1, note: '\ud800' } }],
  ])(
    'refuses an envelope its own reader would refuse (%s) before anything reaches the stream',
    async (field, change) => {
      const before = await harness.jsm.streams.info(streamOf(harness.subjects));
      const draft = { definition: CounterIncremented, aggregateId: 'envelope', data: { by: 1 }, ...change };
      const refusal = harness.publisher().publish(draft as never);
      await expect(refusal).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
      await expect(refusal).rejects.toThrow(`${field}: `);
      const after = await harness.jsm.streams.info(streamOf(harness.subjects));
      expect(after.state.messages).toBe(before.state.messages);
    },
  );
});

describe('seedClockFromStream', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  it('puts a fresh clock above the newest stamp in the stream, even one from a clock running ahead', async () => {
    const ahead = new HybridLogicalClock({ nodeId: 'fast', physicalClock: () => Date.now() + 200 });
    const publisher = new EventPublisher({ ...publisherOptions(harness), clock: ahead });
    const published = await publisher.publish({
      definition: CounterIncremented,
      aggregateId: 'seed',
      data: { by: 1 },
    });
    const restarted = new HybridLogicalClock({ nodeId: 'restarted' });
    await seedClockFromStream(harness.jsm, streamOf(harness.subjects), restarted);
    expect(encodeHlc(restarted.now()) > published.event.hlc).toBe(true);
  });
});

function publisherOptions(harness: Harness) {
  return {
    js: harness.js,
    subjects: harness.subjects,
    domain: 'state',
    source: { service: 'test', instance: 'seed' },
    catalog: counterCatalog,
    metrics: harness.metrics,
  };
}
