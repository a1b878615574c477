import type { INestApplication } from '@nestjs/common';
import { PgDatabase, readCheckpoint, RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import type { InstanceRunner, StoredEvent } from '@kailash/testing';
import { TEST_API_KEY, TEST_PRINCIPAL } from './test-service';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  inProcessRunner,
  readStoredEvents,
  spawnProcessRunner,
  TestClock,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
  withTimeout,
  WORKSPACE_ROOT,
} from '@kailash/testing';

export type InstanceEnv = Readonly<Record<string, string>>;

/** A named API key every instance accepts; the name is the principal its changes are recorded under. */
export interface TestApiKey {
  readonly principal: string;
  readonly key: string;
}

export const DEFAULT_TEST_API_KEY: TestApiKey = { principal: TEST_PRINCIPAL, key: TEST_API_KEY };

export interface BootContext {
  readonly instanceId: string;
  /** The cluster's clock; the app reads its time from it (absent when the cluster runs on wall time). */
  readonly clock?: TestClock;
}

/** Boots one instance inside the test process from its environment; resolves once it listens. */
export type InProcessBoot = (env: InstanceEnv, context: BootContext) => Promise<INestApplication>;

export interface ServiceClusterTimeouts {
  /** Boot of one instance, up to readiness. */
  readonly startMs: number;
  /** Graceful stop of one instance; a process still alive then is killed. */
  readonly stopMs: number;
  /** Each cleanup step: streams, NATS connection, database. */
  readonly cleanupMs: number;
  /** Building the app for process instances. */
  readonly buildMs: number;
}

const DEFAULT_TIMEOUTS: ServiceClusterTimeouts = {
  startMs: 60_000,
  stopMs: 30_000,
  cleanupMs: 30_000,
  buildMs: 180_000,
};

export interface ServiceClusterOptions {
  /** Prefix of the cluster's database name, e.g. `state`. */
  readonly service: string;
  /** The domain whose stream holds the service's events. */
  readonly domain: string;
  /** How to boot an in-process instance; required unless every instance is a process. */
  readonly boot?: InProcessBoot;
  /** The app (under apps/) that process instances run, built from source with build-app.mjs. */
  readonly app?: string;
  /** Environment every instance gets, on top of the cluster's (namespace, URLs, API key). */
  readonly env?: InstanceEnv;
  readonly apiKey?: TestApiKey;
  /**
   * The clock in-process instances share; time moves only when the test advances it. `false`:
   * wall time. Processes always run on wall time.
   */
  readonly clock?: TestClock | false;
  readonly timeouts?: Partial<ServiceClusterTimeouts>;
  /** Workspace root holding apps/ and tools/ (default: the one this library is in). */
  readonly root?: string;
}

export interface StartOptions {
  /** Variables for this instance alone, over the cluster's. */
  readonly env?: InstanceEnv;
  /** `process`: the built app as a child process (needs `app`); default in-process (needs `boot`). */
  readonly as?: 'in-process' | 'process';
}

export interface ServiceInstance {
  readonly instanceId: string;
  readonly kind: 'in-process' | 'process';
  /** HTTP base URL of the current incarnation (a restart of a process may change it). */
  readonly url: string;
  readonly running: boolean;
  /** The Nest app of an in-process instance; throws for a process. */
  readonly app: INestApplication;
  /** What a process instance's latest incarnation wrote to stdout and stderr, also after it ended. */
  output(): string;
  /** `fetch` on this instance with the cluster's API key and a JSON content type. */
  fetch(path: string, init?: RequestInit): Promise<Response>;
  /** A JSON request with the API key; `body` is serialised unless it is a string. */
  request(method: string, path: string, body?: unknown): Promise<Response>;
  /** Graceful stop: the instance drains as on SIGTERM. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL) of a process instance: no drain, no goodbye. */
  kill(): Promise<void>;
  /** Stops (if running) and starts again with the same id and environment, on the same data. */
  restart(): Promise<void>;
}

/** N instances of one service on one namespace and one database, as replicas run in production. */
export interface ServiceCluster {
  readonly namespace: string;
  readonly subjects: SubjectSpace;
  readonly databaseName: string;
  readonly databaseUrl: string;
  /** The domain's event stream. */
  readonly stream: string;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  /** NATS requests with the cluster's API key; the queue group lets any instance answer. */
  readonly client: RequestClient;
  readonly apiKey: TestApiKey;
  /** Headers of an authenticated JSON request. */
  readonly authorized: Readonly<Record<string, string>>;
  /** The in-process instances' shared clock (absent on wall time). */
  readonly clock: TestClock | undefined;
  /** The instances running now, in start order. */
  readonly instances: readonly ServiceInstance[];
  start(options?: StartOptions): Promise<ServiceInstance>;
  /** Events of the domain stream, of one aggregate type, or of one aggregate; or a raw subject filter. */
  storedEvents(select?: { aggregateType?: string; aggregateId?: string } | string): Promise<StoredEvent[]>;
  /** The domain stream's last sequence (0 while empty or not yet created). */
  lastSequence(): Promise<number>;
  /** Resolves once `projection`'s checkpoint reached `sequence` (a sequence it consumes). */
  waitForProjection(projection: string, sequence: number, timeoutMs?: number): Promise<void>;
  /** Stops every instance, deletes the namespace's streams, drops the database; every step bounded. Idempotent. */
  close(): Promise<void>;
}

export async function startServiceCluster(options: ServiceClusterOptions): Promise<ServiceCluster> {
  const timeouts = { ...DEFAULT_TIMEOUTS, ...options.timeouts };
  const apiKey = options.apiKey ?? DEFAULT_TEST_API_KEY;
  const namespace = uniqueName('t');
  const subjects = new SubjectSpace(namespace);
  const databaseName = uniqueName(options.service);
  const databaseUrl = testPostgresUrl(databaseName);
  const stream = subjects.stream(options.domain);
  const clock = options.clock === false ? undefined : (options.clock ?? new TestClock());
  const nc = await connectTestNats(`${options.service}-cluster-${namespace}`);
  const jsm = await jetstreamManager(nc);
  const authorized = { 'content-type': 'application/json', authorization: `Bearer ${apiKey.key}` };
  const running: ServiceInstance[] = [];
  let pool: Pool | undefined;
  let closing: Promise<void> | undefined;
  let started = 0;

  const clusterEnv = (instanceId: string): InstanceEnv => ({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    INSTANCE_ID: instanceId,
    KAILASH_NAMESPACE: namespace,
    NATS_URL: testNatsUrl(),
    DATABASE_URL: databaseUrl,
    API_KEYS: `${apiKey.principal}:${apiKey.key}`,
    ...options.env,
  });

  const launch = async (kind: ServiceInstance['kind'], env: InstanceEnv, instanceId: string) => {
    if (kind === 'process') {
      if (!options.app) throw new Error('a process instance needs the cluster option `app`');
      const main = await builtAppMain(options.app, options.root ?? WORKSPACE_ROOT, timeouts.buildMs);
      return spawnProcessRunner(main, env, timeouts.startMs);
    }
    if (!options.boot) throw new Error('an in-process instance needs the cluster option `boot`');
    const app = await withTimeout(
      options.boot(env, { instanceId, ...(clock ? { clock } : {}) }),
      timeouts.startMs,
      `booting ${instanceId}`,
    );
    return inProcessRunner(app, (await app.getUrl()).replace('[::1]', '127.0.0.1'));
  };

  const start = async (startOptions: StartOptions = {}): Promise<ServiceInstance> => {
    const kind = startOptions.as ?? 'in-process';
    const instanceId = `i${++started}`;
    const env = { ...clusterEnv(instanceId), ...startOptions.env };
    let runner: InstanceRunner | undefined = await launch(kind, env, instanceId);
    // What the last incarnation wrote stays readable after it ended (its drain, its last words).
    let latest = runner;
    const current = (): InstanceRunner => {
      if (!runner) throw new Error(`instance ${instanceId} is not running`);
      return runner;
    };
    const end = async (how: 'stop' | 'kill') => {
      const ending = runner;
      if (!ending) return;
      runner = undefined;
      running.splice(running.indexOf(instance), 1);
      await ending[how](timeouts.stopMs);
    };
    const instanceFetch = (path: string, init: RequestInit = {}) =>
      fetch(`${current().url}${path}`, { ...init, headers: { ...authorized, ...init.headers } });
    const instance: ServiceInstance = {
      instanceId,
      kind,
      get url() {
        return current().url;
      },
      get running() {
        return runner !== undefined;
      },
      get app() {
        const app = current().app;
        if (!app) throw new Error(`instance ${instanceId} is a process; it has no app in this one`);
        return app;
      },
      output: () => latest.output(),
      fetch: instanceFetch,
      request: (method, path, body) =>
        instanceFetch(path, {
          method,
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        }),
      stop: () => end('stop'),
      kill: () => {
        if (kind === 'in-process') return current().kill(timeouts.stopMs);
        return end('kill');
      },
      restart: async () => {
        await end('stop');
        runner = latest = await launch(kind, env, instanceId);
        running.push(instance);
      },
    };
    running.push(instance);
    return instance;
  };

  const database = () => new PgDatabase((pool ??= new Pool({ connectionString: databaseUrl, max: 2 })));

  return {
    namespace,
    subjects,
    databaseName,
    databaseUrl,
    stream,
    nc,
    jsm,
    client: new RequestClient(nc, subjects, { credential: apiKey.key }),
    apiKey,
    authorized,
    clock,
    get instances() {
      return [...running];
    },
    start,
    storedEvents: (select = {}) =>
      readStoredEvents(
        jsm,
        stream,
        typeof select === 'string' ? select : filterOf(subjects, options.domain, select),
      ),
    lastSequence: async () => {
      try {
        return (await jsm.streams.info(stream)).state.last_seq;
      } catch {
        return 0;
      }
    },
    waitForProjection: async (projection, sequence, timeoutMs = 20_000) => {
      await eventually(
        `projection ${projection} at sequence ${sequence}`,
        () => readCheckpoint(database(), projection).catch(() => 0),
        (position) => position >= sequence,
        timeoutMs,
      );
    },
    close: () => (closing ??= cleanUp()),
  };

  async function cleanUp(): Promise<void> {
    const failures: unknown[] = [];
    const step = (work: () => Promise<unknown>, what: string) =>
      withTimeout(work(), timeouts.cleanupMs, what).catch((error: unknown) => void failures.push(error));
    await Promise.all(
      [...running].map((instance) => step(() => instance.stop(), `stopping ${instance.instanceId}`)),
    );
    await step(() => deleteStreamsWithPrefix(jsm, `${namespace.toUpperCase()}_`), 'deleting the streams');
    await step(() => nc.close(), 'closing the NATS connection');
    await step(async () => pool?.end(), 'closing the database pool');
    await step(() => dropTestDatabase(databaseName), 'dropping the database');
    if (failures.length > 0) throw new AggregateError(failures, `cleaning up cluster ${namespace} failed`);
  }
}

function filterOf(
  subjects: SubjectSpace,
  domain: string,
  { aggregateType, aggregateId }: { aggregateType?: string; aggregateId?: string },
): string {
  if (aggregateType === undefined) return subjects.events(domain);
  return aggregateId === undefined
    ? subjects.events(domain, aggregateType)
    : subjects.event(domain, aggregateType, aggregateId);
}
