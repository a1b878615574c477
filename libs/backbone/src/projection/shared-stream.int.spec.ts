import { createTestDatabase, eventually } from '@kailash/testing';
import type { TestDatabase } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import {
  counterCatalog,
  CounterIncremented,
  createSchema,
  insertApplied,
  streamOf,
} from '../../test/fixtures';
import { PgDatabase } from './sql';
import { readCheckpoint } from './checkpoints';

/**
 * Every service keeps its own fleet view from the STATE stream, and two of them may well call
 * their projection by the same name. Each service's projector must keep its own consumer.
 */
describe('two services projecting one stream under the same projection name', () => {
  let harness: Harness;
  let other: TestDatabase;
  beforeAll(async () => {
    harness = await openHarness();
    other = await createTestDatabase('backbone');
    await createSchema(other.pool);
  }, 30_000);
  afterAll(async () => {
    await harness.close();
    await other.drop();
  }, 30_000);

  const projection = {
    name: 'fleet',
    catalog: counterCatalog,
    apply: (event: unknown, tx: Parameters<typeof insertApplied>[0], position: { seq: number }) =>
      insertApplied(tx, event as CounterEvent, position.seq),
  };

  it('each applies every event and neither takes over or deletes the other one’s consumer', async () => {
    const alpha = harness.runner(projection, { service: 'alpha-svc' });
    const beta = harness.runner(projection, { service: 'beta-svc', db: new PgDatabase(other.pool) });
    await alpha.start();
    await beta.start();
    let last = 0;
    for (let i = 0; i < 40; i++) {
      last = (
        await harness
          .publisher()
          .publish({ definition: CounterIncremented, aggregateId: `s${i % 4}`, data: { by: 1 } })
      ).seq;
    }
    await eventually(
      'alpha caught up',
      () => readCheckpoint(harness.db, 'fleet'),
      (seq) => seq === last,
      20_000,
    );
    await eventually(
      'beta caught up',
      () => readCheckpoint(new PgDatabase(other.pool), 'fleet'),
      (seq) => seq === last,
      20_000,
    );

    const names: string[] = [];
    for await (const info of harness.jsm.consumers.list(streamOf(harness.subjects))) names.push(info.name);
    expect(names.filter((name) => name.startsWith('alpha-svc_fleet__'))).toHaveLength(1);
    expect(names.filter((name) => name.startsWith('beta-svc_fleet__'))).toHaveLength(1);
    expect([alpha.status, beta.status]).toEqual(['active', 'active']);
    await alpha.stop();
    await beta.stop();
  }, 60_000);
});
