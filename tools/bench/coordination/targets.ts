import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { builtAppMain, ProcessCluster, startNatsServer, uniqueName } from '@kailash/testing';
import { DEFAULT_RETRY_POLICY } from '@kailash/coordination-client';
import {
  chaosGroup,
  clusterView,
  connectChaosClient,
} from '../../../apps/coordination-svc/test/chaos-replicas';
import type { BenchCluster, BenchKv } from './bench-target';

const ROOT = join(__dirname, '..', '..', '..');

/**
 * coordination-svc as a benchmark target: 3 replica processes of the built app at their default
 * timings, on a nats-server of their own (as etcd gets its own processes).
 */
export async function coordinationTarget(attemptTimeoutMs?: number): Promise<BenchCluster | string> {
  let main: string;
  try {
    main = await builtAppMain('coordination-svc', ROOT, 180_000);
  } catch (error) {
    return `the build failed: ${String(error).slice(0, 300)}`;
  }
  const nats = await startNatsServer({
    config: ({ port, storeDir, host }) => `listen: "${host}:${port}"\njetstream { store_dir: "${storeDir}" }`,
  });
  const namespace = uniqueName('coordbench');
  const group = await chaosGroup({ main, namespace, ids: [1, 2, 3], natsUrl: () => nats.url });
  const cluster = new ProcessCluster(group.specs);
  cluster.startAll();
  const killed: string[] = [];
  const connections: BenchKv[] = [];
  const waitForLeader = async (timeoutMs: number, other?: string) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const leader = await cluster.leader();
      if (leader !== undefined && leader !== other) return leader;
      if (Date.now() > deadline) throw new Error(`coordination-svc: no leader within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  await waitForLeader(60_000);
  const policy = { ...DEFAULT_RETRY_POLICY, ...(attemptTimeoutMs ? { attemptTimeoutMs } : {}) };
  return {
    name: attemptTimeoutMs ? `coordination-svc (client attempt ${attemptTimeoutMs} ms)` : 'coordination-svc',
    retryPolicy: `@kailash/coordination-client ${attemptTimeoutMs ? 'defaults but' : 'defaults:'} ${policy.attemptTimeoutMs} ms per attempt, backoff ${policy.initialBackoffMs} ms doubling to ${policy.maxBackoffMs} ms, ${policy.deadlineMs} ms deadline; retries on NOT_LEADER, timeouts and no responders; writes to the leader's subject first, any replica on no responders`,
    client: async () => {
      const connection = await connectChaosClient([nats.url], namespace, {
        attemptTimeoutMs: policy.attemptTimeoutMs,
      });
      const kv: BenchKv = {
        put: (key, value) => connection.put(key, value),
        get: (key) => connection.get(key),
        close: () => connection.close(),
      };
      connections.push(kv);
      return kv;
    },
    killLeader: async () => {
      const leader = await waitForLeader(30_000);
      const killedAt = performance.now();
      await cluster.kill(leader);
      killed.push(leader);
      const elected = waitForLeader(60_000, leader).then(() => performance.now());
      return { killedAt, elected };
    },
    restartKilled: async () => {
      for (const member of killed.splice(0)) await cluster.restart(member);
      await waitForLeader(30_000);
      // The next trial must start from a whole cluster: every replica ready (caught up with the leader).
      await allReady([...group.urls.values()], 60_000);
    },
    pids: () => cluster.pids(),
    stop: async () => {
      await cluster.stopAll();
      group.removeData();
      await nats.stop();
    },
  };
}

async function allReady(urls: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(urls.map((url) => clusterView(url)));
    const leaderCommit = Math.max(...views.map((v) => (v?.role === 'leader' ? v.commitIndex : 0)));
    if (views.every((v) => v?.ready && v.appliedIndex >= leaderCommit - 10)) return;
    if (Date.now() > deadline)
      throw new Error(`coordination-svc: replicas not all ready within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
