import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import { CoordinationClient, type RetryPolicy } from '@kailash/coordination-client';
import type { CoordClusterView } from '@kailash/contracts';
import { SubjectSpace } from '@kailash/contracts';
import type { ChaosConnection, LabHost, NetworkLab, ReplicaSpec } from '@kailash/testing';
import { freePort } from '@kailash/testing';
import { connect } from '@nats-io/transport-node';
import { REPLICA_API_KEY, REPLICA_AUTH } from './replica-process';

export interface ChaosGroupOptions {
  /** Entry point of the built app (builtAppMain). */
  readonly main: string;
  readonly namespace: string;
  readonly ids: readonly number[];
  /** The NATS server replica i (0-based) connects to. */
  readonly natsUrl: (index: number) => string;
  /** Run replica i in lab host i, its REST API on the host's address. */
  readonly lab?: NetworkLab;
  readonly env?: Record<string, string>;
}

export interface ChaosGroup {
  readonly specs: ReplicaSpec[];
  readonly urls: ReadonlyMap<string, string>;
  readonly hosts: ReadonlyMap<string, LabHost>;
  removeData(): void;
}

/**
 * coordination-svc replicas for the chaos harness: plain processes of the built app (optionally in
 * network namespaces), each with its own WAL directory kept across restarts; the leader probe is
 * the replica's own `GET /cluster`.
 */
export async function chaosGroup(options: ChaosGroupOptions): Promise<ChaosGroup> {
  const root = mkdtempSync(join(tmpdir(), 'coord-chaos-'));
  const urls = new Map<string, string>();
  const hosts = new Map<string, LabHost>();
  const specs: ReplicaSpec[] = [];
  for (const [index, id] of options.ids.entries()) {
    const host = options.lab?.hosts[index];
    const address = host?.address ?? '127.0.0.1';
    const port = await freePort();
    const url = `http://${address}:${port}`;
    urls.set(String(id), url);
    if (host) hosts.set(String(id), host);
    const env: Record<string, string> = {
      PATH: process.env['PATH'] ?? '',
      API_KEYS: REPLICA_API_KEY,
      KAILASH_NAMESPACE: options.namespace,
      NATS_URL: options.natsUrl(index),
      LOG_LEVEL: 'warn',
      INSTANCE_ID: `coord-${id}`,
      COORD_NODE_ID: String(id),
      COORD_DATA_DIR: join(root, `node-${id}`),
      COORD_PEERS: options.ids.join(','),
      // A lab's namespaces cannot reach PostgreSQL on the loopback; chaos tests the log, not its history.
      COORD_HISTORY: 'off',
      PORT: String(port),
      HOST: address,
      ...options.env,
    };
    const [command, args] =
      host && options.lab
        ? options.lab.command(host, process.execPath, [options.main])
        : [process.execPath, [options.main]];
    specs.push({
      id: String(id),
      spawn: (): ChildProcess => spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }),
      probe: async () => {
        const view = await clusterView(url);
        return (
          view && {
            leader: view.leader === 0 ? undefined : String(view.leader),
            term: view.term,
            ready: view.ready,
          }
        );
      },
    });
  }
  return { specs, urls, hosts, removeData: () => rmSync(root, { recursive: true, force: true }) };
}

export async function clusterView(url: string): Promise<CoordClusterView | undefined> {
  try {
    const response = await fetch(`${url}/cluster`, {
      headers: REPLICA_AUTH,
      signal: AbortSignal.timeout(500),
    });
    return response.status === 200 ? ((await response.json()) as CoordClusterView) : undefined;
  } catch {
    return undefined;
  }
}

/** A chaos client: its own NATS connection (failing over between `servers`) and coordination client. */
export async function connectChaosClient(
  servers: readonly string[],
  namespace: string,
  retry?: Partial<RetryPolicy>,
): Promise<ChaosConnection & { readonly client: CoordinationClient }> {
  const nc = await connect({ servers: [...servers], pingInterval: 1_000, maxReconnectAttempts: -1 });
  const client = new CoordinationClient(
    new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY }),
    { retry },
  );
  return {
    client,
    get: async (key) => (await client.get(key))?.value ?? null,
    put: async (key, value) => {
      await client.put(key, value);
    },
    cas: (key, expected, value) => client.compareAndSet(key, expected, value),
    close: () => nc.close(),
  };
}
