import { createStreamIfMissing, telemetryStreamSpec } from '@kailash/backbone';
import { TELEMETRY_METRICS } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import { jetstream } from '@nats-io/jetstream';
import { agentBatch } from '../test/agent-batch';
import type { MonitorCluster } from '../test/monitor-cluster';
import { startMonitorCluster } from '../test/monitor-cluster';
import { samplesOfBatch } from './series/batch-samples';

// Bounds for what this file waits on (a build, a process, the network); none is a speed assertion.
const BUILD_MS = 120_000;
const BATCHES = 1000;

const batch = (sequence: number) =>
  agentBatch({
    edgeId: `edge-${sequence % 10}`,
    sequence,
    endMs: Date.now() - 60_000 + (sequence % 50) * 1000,
    windowMs: 1000,
    process: { cpuPercent: sequence % 100 },
  });

/** The built service as a process, killed with SIGKILL in the middle of ingesting. */
describe('monitor-svc process killed mid-ingest (built with SWC, real NATS + PostgreSQL)', () => {
  let monitor: MonitorCluster;
  const start = () => monitor.start({ as: 'process' });
  const rawSamples = () => monitor.count('SELECT count(*) AS n FROM metric_samples');

  beforeAll(async () => {
    monitor = await startMonitorCluster({
      // Small pulls, so the kill lands between transactions; rollups folded every second.
      env: { INGEST_BATCH_SIZE: '25', ROLLUP_MATERIALISE_MS: '1000' },
      timeouts: { buildMs: BUILD_MS },
    });
  }, BUILD_MS + 10_000);
  afterAll(() => monitor?.close(), 60_000);

  it('loses no sample and counts none twice across a kill -9', async () => {
    // As an agent does: create TELEMETRY if missing and publish, here before monitor-svc runs.
    await createStreamIfMissing(monitor.jsm, telemetryStreamSpec(monitor.subjects));
    const js = jetstream(monitor.nc);
    const acks = [];
    for (let i = 1; i <= BATCHES; i++)
      acks.push(
        js.publish(monitor.subjects.telemetry(TELEMETRY_METRICS, `edge-${i % 10}`), JSON.stringify(batch(i))),
      );
    await Promise.all(acks);
    const total = BATCHES * samplesOfBatch(batch(1)).length;

    const first = await start();
    const partial = await eventually('ingest under way', rawSamples, (n) => n > 0, 30_000);
    await first.kill();
    expect(partial).toBeLessThan(total); // it was killed mid-ingest, not after it

    await start();
    await eventually(
      'the checkpoint at the end of the stream',
      () =>
        monitor.count(
          "SELECT coalesce(max(position), 0) AS n FROM projection_checkpoints WHERE name = 'telemetry-metrics'",
        ),
      (position) => position === BATCHES,
      30_000,
    );
    expect(await rawSamples()).toBe(total);
    // The materialiser folds each minute once it is closed (its end plus a 10 s grace).
    await eventually(
      'every sample in the 1-minute rollups',
      () => monitor.count('SELECT coalesce(sum(count), 0) AS n FROM metric_rollups_1m'),
      (n) => n >= total,
      // The last minute closes up to about a minute after the batches were published.
      75_000,
    );
    expect(await monitor.count('SELECT sum(count) AS n FROM metric_rollups_1m')).toBe(total);
  }, 180_000);
});
