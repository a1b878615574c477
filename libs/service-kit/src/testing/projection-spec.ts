import type { EventDraft, Projection, SqlExecutor } from '@kailash/backbone';
import {
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  PgDatabase,
  PROJECTION_CHECKPOINTS_DDL,
  ProjectionRunner,
  readCheckpoint,
} from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { MigrationList } from '../database/database.module';
import { DataSource } from 'typeorm';
import type { TestDatabase } from '@kailash/testing';
import {
  connectTestNats,
  createTestDatabase,
  deleteStreamsWithPrefix,
  eventually,
  uniqueName,
  withTimeout,
} from '@kailash/testing';

export interface ProjectionSpecOptions {
  readonly projection: Projection;
  /** The domain whose stream feeds the projection, and optionally one aggregate type in it. */
  readonly domain: string;
  readonly aggregateType?: string;
  /** The service's TypeORM migrations that create the projection's tables (checkpoints come with the spec). */
  readonly migrations: MigrationList;
  /** Bound on applying the given events, and on each setup and cleanup step. */
  readonly timeoutMs?: number;
}

/**
 * A projection under test the way it runs in a service: given events are published to a fresh
 * stream and applied by the real ProjectionRunner, checkpoint and all, into a fresh database,
 * whose rows the test then reads.
 *
 *   const spec = await ProjectionSpec.start({ projection: leasesProjection, domain: 'state', migrations });
 *   await spec.given([acquired]);
 *   expect(await spec.rows('SELECT holder FROM leases')).toEqual([{ holder: 'agent-1' }]);
 */
export class ProjectionSpec {
  private lastSeq = 0;

  private constructor(
    private readonly options: ProjectionSpecOptions,
    private readonly database: TestDatabase,
    private readonly nc: NatsConnection,
    private readonly jsm: JetStreamManager,
    private readonly namespace: string,
    private readonly publisher: EventPublisher,
    private readonly runner: ProjectionRunner,
  ) {}

  static async start(options: ProjectionSpecOptions): Promise<ProjectionSpec> {
    const timeoutMs = options.timeoutMs ?? 30_000;
    const namespace = uniqueName('t');
    const subjects = new SubjectSpace(namespace);
    const database = await createTestDatabase(`projection_${options.projection.name.replace(/-/g, '_')}`);
    const nc = await connectTestNats(`projection-spec-${namespace}`);
    try {
      await withTimeout(migrate(database.url, options.migrations), timeoutMs, 'migrating the test database');
      const jsm = await jetstreamManager(nc);
      await ensureStream(jsm, domainStreamSpec(subjects, options.domain));
      await ensureStream(jsm, deadLetterStreamSpec(subjects));
      const js = jetstream(nc);
      const clock = new HybridLogicalClock({ nodeId: 'projection-spec' });
      const db = new PgDatabase(database.pool);
      const publisher = new EventPublisher({
        js,
        subjects,
        domain: options.domain,
        clock,
        source: { service: 'projection-spec', instance: 'given' },
        catalog: options.projection.catalog,
      });
      const runner = new ProjectionRunner({
        js,
        jsm,
        subjects,
        db,
        clock,
        service: 'projection-spec',
        stream: subjects.stream(options.domain),
        filterSubject: subjects.events(options.domain, options.aggregateType),
        projection: options.projection,
        standbyPollMs: 100,
      });
      await runner.start();
      return new ProjectionSpec(options, database, nc, jsm, namespace, publisher, runner);
    } catch (error) {
      await nc.close();
      await database.drop();
      throw error;
    }
  }

  /**
   * Publishes the events in order and resolves, with their stream sequences, once the projection
   * applied them (its checkpoint reached the last).
   */
  async given(events: readonly EventDraft[]): Promise<number[]> {
    const sequences: number[] = [];
    for (const draft of events) sequences.push((this.lastSeq = (await this.publisher.publish(draft)).seq));
    await this.applied();
    return sequences;
  }

  /** Resolves once the checkpoint reached the last given event. */
  async applied(): Promise<void> {
    const db = new PgDatabase(this.database.pool);
    await eventually(
      `${this.options.projection.name} checkpoint at ${this.lastSeq}`,
      () => readCheckpoint(db, this.options.projection.name),
      (position) => position >= this.lastSeq,
      this.options.timeoutMs ?? 30_000,
    );
  }

  /** Rows of a query on the projection's database. */
  rows<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return new PgDatabase(this.database.pool).query<Row>(sql, params);
  }

  /** The database, for reading the projection through its own read model. */
  get db(): SqlExecutor {
    return new PgDatabase(this.database.pool);
  }

  async close(): Promise<void> {
    const timeoutMs = this.options.timeoutMs ?? 30_000;
    await withTimeout(this.runner.stop(), timeoutMs, 'stopping the projection runner');
    await withTimeout(
      deleteStreamsWithPrefix(this.jsm, `${this.namespace.toUpperCase()}_`),
      timeoutMs,
      'deleting the streams',
    );
    await withTimeout(this.nc.close(), timeoutMs, 'closing the NATS connection');
    await withTimeout(this.database.drop(), timeoutMs, 'dropping the database');
  }
}

async function migrate(url: string, migrations: MigrationList): Promise<void> {
  const dataSource = await new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTransactionMode: 'each',
  }).initialize();
  try {
    await dataSource.query(PROJECTION_CHECKPOINTS_DDL);
    await dataSource.runMigrations({ transaction: 'each' });
  } finally {
    await dataSource.destroy();
  }
}
