import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import type { EdgeView, RequestDefinition } from '@kailash/contracts';
import { edgeRequestSubject, GetEdge, GetEdgeHistory, SubjectSpace } from '@kailash/contracts';
import type { ServiceProcess } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
  WORKSPACE_ROOT,
  withTimeout,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { z } from 'zod';

/** Bounds of what the tests wait on (builds, boots, drains); generous for a loaded machine, never speed claims. */
export const BUILD_MS = 180_000;
export const BOOT_MS = 60_000;
export const STOP_MS = 30_000;

export const TEST_KEY = 'edge-agent-test-key-0123456789';
export const TEST_PRINCIPAL = 'agent-tests';
/** Short leases so an expiry is seconds away; the sweeper looks often. */
export const LEASE_TTL_MS = 1_500;
export const SWEEP_MS = 200;

export interface AgentOptions {
  readonly edgeId: string;
  /** Reuse a data directory (a restart on the same disk); a fresh one by default. */
  readonly dataDir?: string;
  readonly workloads?: readonly unknown[];
  readonly env?: Readonly<Record<string, string>>;
  /** Wait for /health/ready (registered, lease, active); true by default. */
  readonly waitReady?: boolean;
}

export interface AgentProcess extends ServiceProcess {
  readonly edgeId: string;
  readonly dataDir: string;
  /** Exit code and signal once it has ended. */
  exited(): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * state-svc and edge agents as the built processes users run, on the real NATS and PostgreSQL,
 * in a namespace and database of their own; `close` removes both and every data directory.
 */
export class EdgeHarness {
  readonly namespace = uniqueName('agent');
  readonly subjects = new SubjectSpace(this.namespace);
  private readonly database = uniqueName('agent_state');
  private readonly processes: ServiceProcess[] = [];
  private readonly dirs: string[] = [];
  private agentMain = '';
  state!: ServiceProcess;
  nc!: NatsConnection;
  client!: RequestClient;

  static async start(): Promise<EdgeHarness> {
    const harness = new EdgeHarness();
    await harness.boot();
    return harness;
  }

  private async boot(): Promise<void> {
    const [stateMain, agentMain] = await Promise.all([
      builtAppMain('state-svc', WORKSPACE_ROOT, BUILD_MS),
      builtAppMain('edge-agent', WORKSPACE_ROOT, BUILD_MS),
    ]);
    this.agentMain = agentMain;
    this.nc = await connectTestNats('edge-agent-tests');
    this.client = new RequestClient(this.nc, this.subjects, { credential: TEST_KEY });
    this.state = startServiceProcess(stateMain, await freePort(), {
      ...this.commonEnv(),
      DATABASE_URL: testPostgresUrl(this.database),
      LEASE_SWEEP_INTERVAL_MS: String(SWEEP_MS),
    });
    this.processes.push(this.state);
    await this.state.ready(BOOT_MS);
  }

  async startAgent(options: AgentOptions): Promise<AgentProcess> {
    const dataDir = options.dataDir ?? this.dataDir();
    const child = startServiceProcess(this.agentMain, await freePort(), {
      ...this.commonEnv(),
      SERVICE_API_KEY: TEST_KEY,
      EDGE_ID: options.edgeId,
      EDGE_REGION: 'eu-west',
      EDGE_LOCATION: '48.85,2.35',
      EDGE_ZONES: 'gdpr',
      EDGE_CAPACITY: 'cpu=4,memory=8192',
      EDGE_DATA_DIR: dataDir,
      EDGE_LEASE_TTL_MS: String(LEASE_TTL_MS),
      EDGE_HEARTBEAT_INTERVAL_MS: '200',
      EDGE_METRICS_INTERVAL_MS: '300',
      EDGE_WORKLOADS: JSON.stringify(options.workloads ?? [{ id: 'store', kind: 'kv' }]),
      SHUTDOWN_GRACE_MS: '10000',
      ...options.env,
    });
    this.processes.push(child);
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    if (options.waitReady !== false) await child.ready(BOOT_MS);
    return Object.assign(child, { edgeId: options.edgeId, dataDir, exited: () => exit });
  }

  dataDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'edge-agent-'));
    this.dirs.push(dir);
    return dir;
  }

  /** An edge as state-svc's projection shows it (authoritative enough once waited for). */
  edge(edgeId: string): Promise<EdgeView> {
    return this.client.send(GetEdge, { edgeId });
  }

  async history(edgeId: string) {
    return (await this.client.send(GetEdgeHistory, { edgeId })).transitions;
  }

  /** A request to one agent over NATS, on its own subject. */
  ask<D extends RequestDefinition>(edgeId: string, definition: D, data: z.input<D['data']>) {
    return this.client.sendTo(edgeRequestSubject(this.subjects, edgeId, definition), definition, data, {
      timeoutMs: 3_000,
    });
  }

  async close(): Promise<void> {
    for (const process of this.processes) {
      // SIGKILL ends a stopped process too.
      await withTimeout(process.crash(), STOP_MS, 'killing a test process').catch(() => undefined);
    }
    if (this.nc) {
      await deleteStreamsWithPrefix(await jetstreamManager(this.nc), this.namespace.toUpperCase());
      await this.nc.close();
    }
    await dropTestDatabase(this.database);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private commonEnv(): Record<string, string> {
    return {
      NATS_URL: testNatsUrl(),
      KAILASH_NAMESPACE: this.namespace,
      API_KEYS: `${TEST_PRINCIPAL}:${TEST_KEY}`,
      LOG_LEVEL: 'info',
      RATE_LIMIT_PER_MINUTE: '1000000',
      STREAM_WAIT_MS: '30000',
    };
  }
}

/** An authenticated JSON request to an agent or state-svc over HTTP. */
export async function http(
  url: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TEST_KEY}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
