import { eventually } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, insertApplied, streamOf } from '../../test/fixtures';
import { BackboneError } from '../errors';
import { readCheckpoint } from './checkpoints';
import type { Projection } from './projection';
import { rebuildProjection } from './rebuild';

describe('rebuildProjection', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  const projection: Projection = {
    name: 'rebuildable',
    catalog: counterCatalog,
    apply: (event, tx, position) => insertApplied(tx, event as CounterEvent, position.seq),
    reset: async (tx) => {
      await tx.query('TRUNCATE applied');
    },
  };
  const runner = () => harness.runner(projection);
  const rows = async () =>
    (await harness.database.pool.query('SELECT seq, amount FROM applied ORDER BY seq')).rows;
  const options = () => ({
    jsm: harness.jsm,
    db: harness.db,
    stream: streamOf(harness.subjects),
    service: 'test',
    projection,
  });

  it('refuses while a runner projects, then replays the stream into the same rows', async () => {
    let last = 0;
    for (let i = 1; i <= 30; i++)
      last = (
        await harness
          .publisher()
          .publish({ definition: CounterIncremented, aggregateId: `r${i % 4}`, data: { by: i } })
      ).seq;
    const first = runner();
    await first.start();
    await eventually(
      'projected',
      () => readCheckpoint(harness.db, 'rebuildable'),
      (cp) => cp === last,
    );
    const before = await rows();

    await expect(rebuildProjection(options())).rejects.toThrow(BackboneError);
    expect(await rows()).toEqual(before);

    await first.stop();
    await rebuildProjection(options());
    expect(await rows()).toEqual([]);
    expect(await readCheckpoint(harness.db, 'rebuildable')).toBe(0);

    const second = runner();
    await second.start();
    await eventually(
      'replayed',
      () => readCheckpoint(harness.db, 'rebuildable'),
      (cp) => cp === last,
    );
    await second.stop();
    expect(await rows()).toEqual(before);
  });

  it('refuses a projection without reset (a process manager would repeat its effects)', async () => {
    const { reset: _reset, ...withoutReset } = projection;
    await expect(rebuildProjection({ ...options(), projection: withoutReset })).rejects.toThrow(
      /cannot be rebuilt/,
    );
  });
});
