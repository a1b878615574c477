import { join } from 'node:path';
import { seededRandom } from '@kailash/random';
import type { ChaosScenarioResult } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  ProcessCluster,
  runChaosScenario,
  testNatsUrl,
  uniqueName,
  verdictLine,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { chaosGroup, connectChaosClient, type ChaosGroup } from './chaos-replicas';

const ROOT = join(__dirname, '..', '..', '..');
// Bounds on waits (a build, processes, elections) on a loaded machine; none is a speed assertion.
const BUILD_MS = 120_000;
const RUN_MS = 150_000;

describe('coordination-svc under process faults (kill -9, SIGSTOP, restarts): linearizable, nothing acknowledged lost', () => {
  const namespace = uniqueName('coordchaos');
  let group: ChaosGroup;
  let cluster: ProcessCluster;
  let result: ChaosScenarioResult;

  beforeAll(
    async () => {
      const main = await builtAppMain('coordination-svc', ROOT, BUILD_MS);
      group = await chaosGroup({ main, namespace, ids: [1, 2, 3], natsUrl: () => testNatsUrl() });
      cluster = new ProcessCluster(group.specs);
      cluster.startAll();
      result = await runChaosScenario({
        cluster,
        connect: () => connectChaosClient([testNatsUrl()], namespace),
        clients: 4,
        keys: ['k0', 'k1', 'k2'].map((k) => `${namespace}/${k}`),
        kinds: ['kill-leader', 'pause-leader', 'kill-follower'],
        maxFaults: 6,
        durationMs: RUN_MS,
        downMs: 1_500,
        // Longer than the default election timeout (10 ticks of 50 ms, randomized up to twice that).
        pauseMs: 2_500,
        healMs: 2_500,
        thinkMs: 5,
        random: seededRandom(Date.now() % 1_000_000),
      });
    },
    BUILD_MS + RUN_MS + 90_000,
  );

  afterAll(async () => {
    await cluster?.stopAll();
    group?.removeData();
    const nc = await connectTestNats('coord-chaos-cleanup');
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc.close();
  }, 30_000);

  it('injected at least 6 faults of every kind while clients kept working', () => {
    const kinds = new Set(result.faults.faults.map((f) => f.kind));
    expect({ skippedNoLeader: result.faults.skippedNoLeader }).toEqual({ skippedNoLeader: 0 });
    expect(result.faults.faults.length).toBeGreaterThanOrEqual(6);
    expect([...kinds].sort()).toEqual(['kill-follower', 'kill-leader', 'pause-leader']);
    expect(result.summary.acknowledgedWrites).toBeGreaterThan(50);
  });

  it('the recorded history is linearizable', () => {
    const line = verdictLine(result.verdict, result.summary);
    expect({ line, counterexample: result.verdict.counterexample }).toEqual({
      line: expect.stringContaining('linearizable: true;'),
      counterexample: [],
    });
  });

  it('no acknowledged write was lost', () => {
    expect(result.verdict.lostWrites).toEqual([]);
  });
});
