import type { ChaosConnection, ChaosScenarioOptions } from '@kailash/testing';
import { createNetworkLab, ProcessCluster, startNatsCluster, uniqueName } from '@kailash/testing';
import { chaosGroup, connectChaosClient } from './chaos-replicas';
import { MinorityProbes } from './partition-probe';

export interface PartitionCluster {
  readonly cluster: ProcessCluster;
  readonly probes: MinorityProbes;
  readonly namespace: string;
  /** Each replica's REST base URL (on its namespace's address). */
  readonly urls: ReadonlyMap<string, string>;
  connect(): Promise<ChaosConnection>;
  /** Scenario settings for one round on `keys`: a follower's link cut, then the leader's. */
  round(keys: readonly string[]): Omit<ChaosScenarioOptions, 'random'>;
  stop(): Promise<void>;
}

/**
 * Three coordination-svc replicas, each with its own nats-server (a NATS cluster of 3), each pair
 * in its own network namespace. Cutting a member's link starts a client inside its namespace that
 * keeps putting through the isolated side; healing stops that client first. Needs root.
 */
export async function startPartitionCluster(main: string): Promise<PartitionCluster> {
  const lab = createNetworkLab(3);
  const natsCluster = await startNatsCluster({ size: 3, lab });
  const namespace = uniqueName('coordpart');
  const natsUrl = (index: number) => natsCluster.members[index]?.server.url ?? '';
  const group = await chaosGroup({ main, namespace, ids: [1, 2, 3], natsUrl, lab });
  const ids = group.specs.map((s) => s.id);
  const probes = new MinorityProbes(lab, namespace);
  let keys: readonly string[] = [];
  const cluster: ProcessCluster = new ProcessCluster(group.specs, {
    cut: async (member) => {
      const host = group.hosts.get(member);
      if (!host) throw new Error(`no lab host for ${member}`);
      const wasLeader = (await cluster.leader()) === member;
      lab.cut(host);
      probes.start(member, host, natsUrl(ids.indexOf(member)), wasLeader, keys);
    },
    heal: async (member) => {
      await probes.stop(await cluster.leader());
      const host = group.hosts.get(member);
      if (host) lab.heal(host);
    },
  });
  cluster.startAll();
  const connect = () => connectChaosClient(natsCluster.urls, namespace);
  return {
    cluster,
    probes,
    namespace,
    urls: group.urls,
    connect,
    round: (roundKeys) => {
      keys = roundKeys;
      return {
        cluster,
        connect,
        clients: 4,
        keys: roundKeys,
        kinds: ['isolate-follower', 'isolate-leader'],
        maxFaults: 2,
        durationMs: Number.POSITIVE_INFINITY,
        // Long enough for the routes to notice the dead link (1 s pings, 2 missed) and the majority to elect.
        downMs: 8_000,
        pauseMs: 0,
        healMs: 6_000,
        thinkMs: 5,
        now: () => performance.timeOrigin + performance.now(),
        leaderTimeoutMs: 60_000,
        external: () => probes.history(),
      };
    },
    stop: async () => {
      await probes.stop();
      await cluster.stopAll();
      group.removeData();
      await natsCluster.stop();
      lab.destroy();
    },
  };
}
