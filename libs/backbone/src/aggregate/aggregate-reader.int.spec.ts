import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, streamOf } from '../../test/fixtures';
import { AggregateReader } from './aggregate-reader';

describe('AggregateReader against JetStream', () => {
  let harness: Harness;
  const sum = (total: number, event: CounterEvent) => total + event.data.by;
  const subjectOf = (id: string) => harness.subjects.event('state', 'counter', id);
  const seqs: number[] = [];

  beforeAll(async () => {
    harness = await openHarness();
    const publisher = harness.publisher();
    for (let i = 1; i <= 250; i++) {
      seqs.push((await publisher.publish({ definition: CounterIncremented, aggregateId: 'long', data: { by: i } })).seq);
      if (i % 50 === 0) await publisher.publish({ definition: CounterIncremented, aggregateId: 'other', data: { by: 1000 } });
    }
  });
  afterAll(() => harness.close());

  const reader = (options = {}) => new AggregateReader(harness.js, harness.jsm, streamOf(harness.subjects), counterCatalog, options);

  it('folds every event of one subject across several fetches, ignoring other subjects', async () => {
    const loaded = await reader({ fetchBatch: 64 }).load(subjectOf('long'), () => 0, sum);
    expect(loaded).toEqual({ state: (250 * 251) / 2, version: seqs[249], events: 250, lastHlc: expect.any(String) });
  });

  it('starts from a snapshot and reads only the tail after it', async () => {
    const snapshotSeq = seqs[199] as number;
    const loaded = await reader({ snapshotOf: async () => ({ state: (200 * 201) / 2, seq: snapshotSeq }) }).load(subjectOf('long'), () => 0, sum);
    expect(loaded).toEqual({ state: (250 * 251) / 2, version: seqs[249], events: 50, lastHlc: expect.any(String) });
  });

  it('ignores a snapshot from beyond the stream (e.g. a projection of another stream) and replays', async () => {
    const loaded = await reader({ snapshotOf: async () => ({ state: -1, seq: 10_000_000 }) }).load(subjectOf('long'), () => 0, sum);
    expect(loaded.state).toBe((250 * 251) / 2);
    expect(loaded.events).toBe(250);
  });

  it('answers the initial state and version 0 for an aggregate with no events', async () => {
    expect(await reader().load(subjectOf('never'), () => 42, sum)).toEqual({ state: 42, version: 0, events: 0 });
  });
});
