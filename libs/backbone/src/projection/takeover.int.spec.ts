import { eventually } from '@kailash/testing';
import type { Harness } from '../../test/harness';
import { openHarness } from '../../test/harness';
import type { CounterEvent } from '../../test/fixtures';
import { counterCatalog, CounterIncremented, insertApplied } from '../../test/fixtures';
import { readCheckpoint } from './checkpoints';

/**
 * The holder loses its database session (restart, network, pg_terminate_backend) but keeps NATS:
 * another instance takes over. Nothing may be lost or applied twice, and the loser must notice.
 */
describe('projection takeover after the holder loses its database session', () => {
  let harness: Harness;
  beforeAll(async () => (harness = await openHarness()));
  afterAll(() => harness.close());

  const runner = () =>
    harness.runner(
      {
        name: 'takeover',
        catalog: counterCatalog,
        apply: (event, tx, position) => insertApplied(tx, event as CounterEvent, position.seq),
      },
      { batchSize: 20, standbyPollMs: 100 },
    );

  it('applies every event exactly once across the takeover', async () => {
    const first = runner();
    const second = runner();
    await first.start();
    await eventually(
      'first active',
      async () => first.status,
      (status) => status === 'active',
    );
    await second.start();

    // Kill the first holder's lock session from the server side, as a Postgres restart would.
    await harness.database.pool.query(
      `SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = 7411 AND objid = hashtext('takeover')::oid`,
    );
    let last = 0;
    for (let i = 0; i < 300; i++)
      last = (
        await harness
          .publisher()
          .publish({ definition: CounterIncremented, aggregateId: `t${i % 5}`, data: { by: 1 } })
      ).seq;

    await eventually(
      'checkpoint at the last event',
      () => readCheckpoint(harness.db, 'takeover'),
      (cp) => cp === last,
      60_000,
    );
    await eventually(
      'exactly one active',
      async () => [first.status, second.status].filter((s) => s === 'active').length,
      (n) => n === 1,
      20_000,
    );
    const { rows } = await harness.database.pool.query(
      'SELECT count(*)::int AS total, count(DISTINCT seq)::int AS distinct_seqs FROM applied',
    );
    expect(rows[0]).toEqual({ total: 300, distinct_seqs: 300 });
    await first.stop();
    await second.stop();
  }, 90_000);
});
