import { eventually } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, insertApplied } from '../../test/fixtures';

/** A projection the write side reads snapshots from must never skip an event: it stalls and retries. */
describe('a projection that stalls instead of dead-lettering', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  it('keeps retrying past maxDeliver, then applies the event and the ones after it, in order', async () => {
    let failuresLeft = 6;
    const runner = harness.runner(
      {
        name: 'stalling',
        catalog: counterCatalog,
        stallInsteadOfDeadLetter: true,
        apply: async (event, tx, position) => {
          if ((event as CounterEvent).data.poison && failuresLeft-- > 0) throw new Error('transient fault');
          await insertApplied(tx, event as CounterEvent, position.seq);
        },
      },
      { maxDeliver: 3, retryDelayMs: () => 20 },
    );
    const publisher = harness.publisher();
    const hard = await publisher.publish({ definition: CounterIncremented, aggregateId: 's', data: { by: 1, poison: true } });
    const next = await publisher.publish({ definition: CounterIncremented, aggregateId: 's', data: { by: 2 } });
    await runner.start();
    const rows = await eventually(
      'both applied',
      async () => (await harness.database.pool.query('SELECT seq FROM applied ORDER BY row_id')).rows.map((row) => Number(row.seq)),
      (seqs) => seqs.length === 2,
    );
    await runner.stop();
    expect(rows).toEqual([hard.seq, next.seq]);
    expect(failuresLeft).toBeLessThan(0);
    expect((await harness.jsm.streams.info(harness.subjects.deadLetterStream())).state.messages).toBe(0);
  });
});
