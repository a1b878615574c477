import { HybridLogicalClock } from '@kailash/hlc';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, streamOf } from '../../test/fixtures';
import { EventPublisher } from '../publishing/event-publisher';
import { AggregateReader } from './aggregate-reader';
import { handleCommand } from './command-handler';

describe('handleCommand against JetStream', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  const publisherWith = (clock: HybridLogicalClock) =>
    new EventPublisher({ js: harness.js, subjects: harness.subjects, domain: 'state', clock, source: { service: 'test', instance: clock.nodeId }, catalog: counterCatalog, metrics: harness.metrics });
  const decider = {
    initialState: () => 0,
    evolve: (total: number, event: CounterEvent) => total + event.data.by,
    decide: (by: number) => [{ definition: CounterIncremented, aggregateId: 'hlc', data: { by } }],
  };

  it('stamps what it appends after the event it decided on, even when its own clock runs behind', async () => {
    const ahead = publisherWith(new HybridLogicalClock({ nodeId: 'ahead', physicalClock: () => Date.now() + 300 }));
    const behind = publisherWith(new HybridLogicalClock({ nodeId: 'behind' }));
    const reader = new AggregateReader(harness.js, harness.jsm, streamOf(harness.subjects), counterCatalog);
    const subject = harness.subjects.event('state', 'counter', 'hlc');

    const first = await handleCommand({ reader, publisher: ahead, subject }, decider, 1);
    const second = await handleCommand({ reader, publisher: behind, subject }, decider, 2);

    expect(second.state).toBe(3);
    expect((second.published[0]?.event.hlc ?? '') > (first.published[0]?.event.hlc ?? '~')).toBe(true);
  });
});
