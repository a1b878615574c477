import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@kailash/testing';
import {
  dropTestDatabase,
  eventually,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
} from '@kailash/testing';

export const REPLICA_API_KEY = 'coord-test-key-0123456789abcdef';
export const REPLICA_AUTH = {
  authorization: `Bearer ${REPLICA_API_KEY}`,
  'content-type': 'application/json',
};

/** Resolves once `/health/ready` answers 200 (the replica knows a leader and has caught up). */
export async function waitUntilReady(url: string, timeoutMs: number): Promise<void> {
  await eventually(
    `${url}/health/ready`,
    () =>
      fetch(`${url}/health/ready`).then(
        (r) => r.status,
        () => 0,
      ),
    (status) => status === 200,
    timeoutMs,
  );
}

export interface ReplicaSpec {
  readonly id: number;
  /** Voters of the new cluster; omitted for a replica that joins later (COORD_JOIN). */
  readonly peers?: readonly number[];
  /** Extra environment (timings, snapshot thresholds). */
  readonly env?: Record<string, string>;
}

export interface RunningReplica {
  readonly id: number;
  readonly url: string;
  readonly dataDir: string;
  /** Its own PostgreSQL database (the history it applied), dropped by stopAll. */
  readonly databaseName: string;
  process: ServiceProcess;
}

/**
 * Replicas of one coordination group as real processes of the built app, on the shared NATS in a
 * namespace of their own, each with its own WAL directory and database; a restart reuses them and
 * the port.
 */
export class ReplicaGroup {
  private readonly replicas = new Map<
    number,
    RunningReplica & { env: Record<string, string>; port: number }
  >();
  private readonly root = mkdtempSync(join(tmpdir(), 'coord-group-'));

  constructor(
    private readonly main: string,
    readonly namespace: string,
    private readonly baseEnv: Record<string, string> = {},
  ) {}

  get(id: number): RunningReplica {
    const replica = this.replicas.get(id);
    if (!replica) throw new Error(`no replica ${id}`);
    return replica;
  }

  all(): RunningReplica[] {
    return [...this.replicas.values()];
  }

  async start(spec: ReplicaSpec): Promise<RunningReplica> {
    const port = await freePort();
    const dataDir = join(this.root, `node-${spec.id}`);
    const databaseName = `${this.namespace}_${spec.id}`;
    const env: Record<string, string> = {
      API_KEYS: REPLICA_API_KEY,
      KAILASH_NAMESPACE: this.namespace,
      NATS_URL: testNatsUrl(),
      LOG_LEVEL: 'warn',
      INSTANCE_ID: `coord-${spec.id}`,
      COORD_NODE_ID: String(spec.id),
      COORD_DATA_DIR: dataDir,
      DATABASE_URL: testPostgresUrl(databaseName),
      ...(spec.peers ? { COORD_PEERS: spec.peers.join(',') } : { COORD_JOIN: 'true' }),
      ...this.baseEnv,
      ...spec.env,
    };
    const replica = {
      id: spec.id,
      url: `http://127.0.0.1:${port}`,
      dataDir,
      databaseName,
      env,
      port,
      process: this.spawn(port, env),
    };
    this.replicas.set(spec.id, replica);
    return replica;
  }

  /** Starts the same replica again on its WAL directory and port (after a crash or a stop). */
  restart(id: number): RunningReplica {
    const replica = this.replicas.get(id);
    if (!replica) throw new Error(`no replica ${id}`);
    replica.process = this.spawn(replica.port, replica.env);
    return replica;
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.all().map((replica) => replica.process.crash()));
    await Promise.all(this.all().map((replica) => dropTestDatabase(replica.databaseName)));
    rmSync(this.root, { recursive: true, force: true });
  }

  private spawn(port: number, env: Record<string, string>): ServiceProcess {
    return startServiceProcess(this.main, port, env);
  }
}
