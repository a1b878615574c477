import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { bootstrapService, ServiceClock } from '@kailash/service-kit';
import {
  connectTestNats,
  deleteStreamsWithPrefix,
  TestClock,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { loadStateConfig } from '../src/config';
import { LeaseSweeper } from '../src/leases/lease-sweeper';
import { TEST_API_KEY, TEST_PRINCIPAL } from './state-app';

/** One state-svc instance of a cluster: its own port, HLC node and instance id. */
export interface StateInstance {
  readonly app: INestApplication;
  readonly url: string;
  readonly instanceId: string;
  /** One lease sweep on this instance; resolves to the expiries it published. */
  sweepLeases(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Several state-svc instances sharing one namespace and one database, as replicas do in production;
 * instances can be closed and new ones started on the same data (a restart).
 */
export interface StateCluster {
  readonly namespace: string;
  readonly databaseName: string;
  readonly subjects: SubjectSpace;
  readonly nc: NatsConnection;
  readonly jsm: JetStreamManager;
  readonly client: RequestClient;
  /**
   * The instances' one clock: deadlines and sweeps move only when a test advances it, and
   * `advance` resolves after the sweeps that came due have finished.
   */
  readonly clock: TestClock;
  /** Starts another instance; `leaseEnv` sets LEASE_* variables for it alone. */
  start(leaseEnv?: Record<string, string>): Promise<StateInstance>;
  /** Closes the instances still open, then deletes the namespace's streams and the database. */
  close(): Promise<void>;
}

/** The app of one cluster instance: state-svc, its clock driven by the cluster's. */
@Module({})
class ClusterInstance {}

export async function startStateCluster(): Promise<StateCluster> {
  const namespace = uniqueName('t');
  const databaseName = uniqueName('state');
  const subjects = new SubjectSpace(namespace);
  const nc = await connectTestNats('lease-test-client');
  const jsm = await jetstreamManager(nc);
  const open = new Set<StateInstance>();
  const clock = new TestClock();
  let started = 0;

  const start = async (leaseEnv: Record<string, string> = {}): Promise<StateInstance> => {
    const instanceId = `i${++started}`;
    const config = loadStateConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INSTANCE_ID: instanceId,
      KAILASH_NAMESPACE: namespace,
      NATS_URL: testNatsUrl(),
      DATABASE_URL: testPostgresUrl(databaseName),
      API_KEYS: `${TEST_PRINCIPAL}:${TEST_API_KEY}`,
      HTTP_BODY_LIMIT_BYTES: '16384',
      ...leaseEnv,
    });
    const appModule = {
      module: ClusterInstance,
      imports: [AppModule.forRoot(config), ServiceClock.drivenBy(clock)],
    };
    const app = await bootstrapService(appModule, config, { title: 'test', description: 'test' });
    const instance: StateInstance = {
      app,
      instanceId,
      url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
      sweepLeases: () => app.get(LeaseSweeper).sweepOnce(),
      close: async () => {
        if (!open.delete(instance)) return;
        await app.close();
      },
    };
    open.add(instance);
    return instance;
  };

  return {
    namespace,
    databaseName,
    subjects,
    nc,
    jsm,
    client: new RequestClient(nc, subjects, { credential: TEST_API_KEY }),
    clock,
    start,
    close: async () => {
      await Promise.all([...open].map((instance) => instance.close()));
      await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
      await nc.close();
      const admin = new Client({ connectionString: testPostgresUrl('postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

/** Every event stored under a subject filter, in stream order (small test streams only). */
export async function storedEvents(
  jsm: JetStreamManager,
  stream: string,
  subjectFilter: string,
): Promise<{ type: string; data: Record<string, unknown> }[]> {
  const info = await jsm.streams.info(stream);
  const events: { type: string; data: Record<string, unknown> }[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq++) {
    const msg = await jsm.streams.getMessage(stream, { seq });
    if (msg && matches(subjectFilter, msg.subject)) events.push(msg.json());
  }
  return events;
}

/** NATS subject matching with `*` and a trailing `>`. */
function matches(filter: string, subject: string): boolean {
  const want = filter.split('.');
  const have = subject.split('.');
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '>') return have.length > i;
    if (want[i] !== '*' && want[i] !== have[i]) return false;
  }
  return want.length === have.length;
}
