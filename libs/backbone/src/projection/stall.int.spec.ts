import { eventually } from '@kailash/testing';
import type { BackboneLogger } from '../logger';
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
    const hard = await publisher.publish({
      definition: CounterIncremented,
      aggregateId: 's',
      data: { by: 1, poison: true },
    });
    const next = await publisher.publish({
      definition: CounterIncremented,
      aggregateId: 's',
      data: { by: 2 },
    });
    await runner.start();
    const rows = await eventually(
      'both applied',
      async () =>
        (await harness.database.pool.query('SELECT seq FROM applied ORDER BY row_id')).rows.map((row) =>
          Number(row.seq),
        ),
      (seqs) => seqs.length === 2,
    );
    await runner.stop();
    expect(rows).toEqual([hard.seq, next.seq]);
    expect(failuresLeft).toBeLessThan(0);
    expect((await harness.jsm.streams.info(harness.subjects.deadLetterStream())).state.messages).toBe(0);
  });

  it('reports itself stalled at the sequence it cannot pass once the threshold has passed, logs once per interval, recovers', async () => {
    let nowMs = 1_000_000;
    let failing = true;
    const lines: string[] = [];
    const record = (level: string) => (message: string) => void lines.push(`${level} ${message}`);
    const logger: BackboneLogger = { info: record('info'), warn: record('warn'), error: record('error') };
    let attempts = 0;
    const runner = harness.runner(
      {
        name: 'wedged',
        catalog: counterCatalog,
        stallInsteadOfDeadLetter: true,
        apply: async (event, tx, position) => {
          if (event.aggregate.id === 'w' && failing) {
            attempts++;
            throw new Error('value out of range');
          }
          await insertApplied(tx, event as CounterEvent, position.seq);
        },
      },
      { maxDeliver: 2, retryDelayMs: () => 5, stallAfterMs: 30_000, now: () => nowMs, logger },
    );
    const publisher = harness.publisher();
    const stuck = await publisher.publish({
      definition: CounterIncremented,
      aggregateId: 'w',
      data: { by: 1 },
    });
    await runner.start();
    await eventually(
      'retrying',
      async () => attempts,
      (count) => count >= 20,
    );
    expect(runner.stall).toBeUndefined();
    expect(await stalledGauge('wedged')).toBe(0);
    const logged = lines.length;
    expect(logged).toBeLessThanOrEqual(2); // the first failure, not one line per retry

    nowMs += 30_000;
    const stall = await eventually(
      'stalled',
      async () => runner.stall,
      (found) => found !== undefined,
    );
    expect(stall).toEqual(
      expect.objectContaining({
        projection: 'wedged',
        seq: stuck.seq,
        forMs: 30_000,
        cause: 'value out of range',
      }),
    );
    expect(await stalledGauge('wedged')).toBe(1);
    const afterStall = attempts;
    await eventually(
      'more retries',
      async () => attempts,
      (count) => count >= afterStall + 20,
    );
    expect(lines.length).toBe(logged + 1); // one line for this interval, whatever the number of retries
    expect(lines[lines.length - 1]).toBe('error projection stalled: handler keeps failing');
    expect(runner.status).toBe('active');

    failing = false;
    await eventually(
      'applied',
      async () => (await harness.database.pool.query("SELECT seq FROM applied WHERE counter = 'w'")).rowCount,
      (count) => count === 1,
    );
    expect(runner.stall).toBeUndefined();
    expect(await stalledGauge('wedged')).toBe(0);
    await runner.stop();
  });

  async function stalledGauge(projection: string): Promise<number | undefined> {
    const metric = await harness.registry.getSingleMetric('kailash_projection_stalled')?.get();
    return metric?.values.find((value) => value.labels['projection'] === projection)?.value;
  }
});
