import { join } from 'node:path';
import { seededRandom } from '@kailash/random';
import type { ChaosScenarioResult } from '@kailash/testing';
import { builtAppMain, eventually, runChaosScenario, verdictLine } from '@kailash/testing';
import { clusterView } from './chaos-replicas';
import { startPartitionCluster, type PartitionCluster } from './partition-cluster';

const ROOT = join(__dirname, '..', '..', '..');
// Bounds on waits (a build, processes, elections, route failure detection); none is a speed assertion.
const BUILD_MS = 120_000;
const RUN_MS = 120_000;

describe('coordination-svc under network partitions (replicas and nats-servers in network namespaces; needs root)', () => {
  let partition: PartitionCluster;
  let result: ChaosScenarioResult;

  beforeAll(
    async () => {
      const main = await builtAppMain('coordination-svc', ROOT, BUILD_MS);
      partition = await startPartitionCluster(main);
      const keys = ['k0', 'k1', 'k2'].map((k) => `${partition.namespace}/${k}`);
      result = await runChaosScenario({ ...partition.round(keys), random: seededRandom(11) });
    },
    BUILD_MS + RUN_MS + 60_000,
  );

  afterAll(async () => {
    await partition?.stop();
  }, 30_000);

  it("cut a follower's link, then the leader's, and healed both", () => {
    expect(result.faults.faults.map((f) => f.kind)).toEqual(['isolate-follower', 'isolate-leader']);
    expect(partition.probes.results.map((p) => p.wasLeader)).toEqual([false, true]);
  });

  it('the isolated side acknowledged no write', () => {
    const probes = partition.probes.results;
    expect(probes.every((p) => p.attempts > 0)).toBe(true);
    expect(probes.map((p) => p.acknowledged)).toEqual([0, 0]);
  });

  it('the majority elected a leader of its own and kept serving while the leader was cut off', () => {
    const [, leaderCut] = partition.probes.results;
    expect(leaderCut?.leaderWhileCut).toBeDefined();
    expect(leaderCut?.leaderWhileCut).not.toBe(leaderCut?.member);
    const servedWhileCut = result.history.filter(
      (op) =>
        op.input.op === 'put' &&
        op.output !== undefined &&
        op.clientId < 1_000 &&
        op.call >= (leaderCut?.from ?? Infinity) &&
        op.ret <= (leaderCut?.to ?? -Infinity),
    );
    expect(servedWhileCut.length).toBeGreaterThan(0);
  });

  it('after healing, every replica follows one leader and has applied the same log', async () => {
    const urls = [...partition.urls.values()];
    await eventually(
      'all three replicas converged on one leader and one applied index',
      () => Promise.all(urls.map((url) => clusterView(url))),
      (views) =>
        views.every((v) => v !== undefined && v.leader !== 0 && v.leader === views[0]?.leader) &&
        new Set(views.map((v) => v?.appliedIndex)).size === 1,
      30_000,
    );
  });

  it('after healing, the history (majority and isolated clients) is linearizable and lost no acknowledged write', () => {
    expect({
      line: verdictLine(result.verdict, result.summary),
      counterexample: result.verdict.counterexample,
    }).toEqual({
      line: expect.stringContaining('linearizable: true;'),
      counterexample: [],
    });
    expect(result.verdict.lostWrites).toEqual([]);
  });
});
