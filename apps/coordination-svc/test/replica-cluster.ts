import { RequestClient } from '@kailash/backbone';
import { CoordinationClient } from '@kailash/coordination-client';
import { SubjectSpace } from '@kailash/contracts';
import { connectTestNats, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { REPLICA_API_KEY, ReplicaGroup } from './replica-process';

/** A started group of replicas and a test's own connection and clients to it. */
export interface TestCluster {
  readonly namespace: string;
  readonly group: ReplicaGroup;
  readonly nc: NatsConnection;
  readonly requests: RequestClient;
  readonly client: CoordinationClient;
  /** Kills the replicas, drops their databases and deletes the namespace's streams. */
  close(): Promise<void>;
}

/** Starts voters `ids` of a new group in a namespace of its own and waits until each process is up. */
export async function startTestCluster(
  main: string,
  prefix: string,
  env: Record<string, string>,
  readyMs: number,
  ids: readonly number[] = [1, 2, 3],
): Promise<TestCluster> {
  const namespace = uniqueName(prefix);
  const group = new ReplicaGroup(main, namespace, env);
  for (const id of ids) await group.start({ id, peers: ids });
  await Promise.all(group.all().map((replica) => replica.process.ready(readyMs)));
  const nc = await connectTestNats(`${prefix}-test`);
  const requests = new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY });
  const client = new CoordinationClient(requests);
  return {
    namespace,
    group,
    nc,
    requests,
    client,
    close: async () => {
      await client.close().catch(() => undefined);
      await group.stopAll();
      await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
      await nc.close();
    },
  };
}
