import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from '@kailash/testing';
import { readCheckpoint } from '../../src';
import { CounterIncremented } from '../fixtures';
import type { Harness } from '../harness';
import { openHarness } from '../harness';

const EVENTS = 20_000;
const ROOT = join(__dirname, '..', '..', '..', '..');

/** kill -9 the projecting process mid-stream, twice; the projection must still be exact. */
describe('projection survives kill -9', () => {
  let harness: Harness;
  let child: ChildProcess | undefined;

  beforeAll(async () => (harness = await openHarness()), 30_000);
  afterAll(async () => {
    child?.kill('SIGKILL');
    await harness.close();
  }, 30_000);

  const applied = async () =>
    Number((await harness.database.pool.query('SELECT count(*) AS n FROM applied')).rows[0].n);

  function startProjector(): ChildProcess {
    const proc = spawn(
      process.execPath,
      [
        '-r',
        '@swc-node/register',
        join(__dirname, 'projector-process.ts'),
        harness.subjects.namespace,
        harness.database.url,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, SWC_NODE_PROJECT: join(ROOT, 'tsconfig.base.json') },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    proc.stderr?.on('data', (chunk) => process.stderr.write(chunk));
    return proc;
  }

  /** Resolves when the child has exited; a child that outlives SIGKILL for 10 s fails the test. */
  function exited(proc: ChildProcess | undefined): Promise<void> {
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`projector ${proc.pid} did not exit after SIGKILL`)),
        10_000,
      );
      proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  async function killAt(threshold: number): Promise<number> {
    const seen = await eventually(`${threshold} rows`, applied, (n) => n >= threshold, 120_000);
    child?.kill('SIGKILL');
    await exited(child);
    return seen;
  }

  it(`projects exactly ${EVENTS} rows with the checkpoint at the last sequence`, async () => {
    let lastSeq = 0;
    const publisher = harness.publisher();
    for (let start = 0; start < EVENTS; start += 500) {
      const chunk = Array.from({ length: 500 }, (_, i) =>
        publisher.publish({
          definition: CounterIncremented,
          aggregateId: `c${(start + i) % 97}`,
          data: { by: 1 },
        }),
      );
      for (const published of await Promise.all(chunk)) lastSeq = Math.max(lastSeq, published.seq);
    }

    child = startProjector();
    const atFirstKill = await killAt(3_000);
    child = startProjector();
    const atSecondKill = await killAt(atFirstKill + 5_000);
    expect(atSecondKill).toBeLessThan(EVENTS); // both kills really happened mid-stream
    child = startProjector();

    await eventually(
      'checkpoint at the last sequence',
      () => readCheckpoint(harness.db, 'counters'),
      (cp) => cp === lastSeq,
      120_000,
    );
    const { rows } = await harness.database.pool.query(
      'SELECT count(*)::int AS total, count(DISTINCT seq)::int AS distinct_seqs, count(DISTINCT event_id)::int AS distinct_ids FROM applied',
    );
    expect(rows[0]).toEqual({ total: EVENTS, distinct_seqs: EVENTS, distinct_ids: EVENTS });
  }, 240_000);
});
