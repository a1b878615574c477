import { SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { TestDatabase } from '@kailash/testing';
import { connectTestNats, createTestDatabase, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Registry } from 'prom-client';
import type { Projection, ProjectionRunnerOptions } from '../src';
import {
  BackboneMetrics,
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  PgDatabase,
  ProjectionRunner,
} from '../src';
import { counterCatalog, createSchema, streamOf, TEST_DOMAIN } from './fixtures';

/** Everything a backbone integration test needs, in its own namespace and database. */
export interface Harness {
  readonly nc: NatsConnection;
  readonly js: JetStreamClient;
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  readonly database: TestDatabase;
  readonly db: PgDatabase;
  readonly metrics: BackboneMetrics;
  readonly registry: Registry;
  publisher(instance?: string): EventPublisher;
  /** A runner of `projection` over the test domain's events, as every backbone test builds it. */
  runner(projection: Projection, overrides?: Partial<ProjectionRunnerOptions>): ProjectionRunner;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const namespace = uniqueName('t');
  const subjects = new SubjectSpace(namespace);
  const nc = await connectTestNats(namespace);
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  await ensureStream(jsm, domainStreamSpec(subjects, TEST_DOMAIN));
  await ensureStream(jsm, deadLetterStreamSpec(subjects));
  const database = await createTestDatabase('backbone');
  await createSchema(database.pool);
  const registry = new Registry();
  const metrics = BackboneMetrics.for(registry);
  return {
    nc,
    js,
    jsm,
    subjects,
    database,
    db: new PgDatabase(database.pool),
    metrics,
    registry,
    publisher: (instance = 'i1') =>
      new EventPublisher({
        js,
        subjects,
        domain: TEST_DOMAIN,
        clock: new HybridLogicalClock({ nodeId: instance }),
        source: { service: 'test', instance },
        catalog: counterCatalog,
        metrics,
      }),
    runner: (projection, overrides = {}) =>
      new ProjectionRunner({
        js,
        jsm,
        subjects,
        service: 'test',
        stream: streamOf(subjects),
        filterSubject: subjects.events(TEST_DOMAIN),
        db: new PgDatabase(database.pool),
        metrics,
        projection,
        ...overrides,
      }),
    close: async () => {
      await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
      await nc.close();
      await database.drop();
    },
  };
}
