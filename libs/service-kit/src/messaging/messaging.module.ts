import type { BeforeApplicationShutdown, DynamicModule, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module } from '@nestjs/common';
import type { BackboneLogger, SqlDatabase } from '@kailash/backbone';
import {
  BackboneMetrics,
  connectToNats,
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  EventPublisher,
  PgDatabase,
  RequestClient,
  seedClockFromStream,
  telemetryStreamSpec,
} from '@kailash/backbone';
import type { EventCatalog } from '@kailash/contracts';
import { SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { getDataSourceToken } from '@nestjs/typeorm';
import type { Registry } from 'prom-client';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import type { ServiceConfig } from '../config/service-config';
import { HLC_CLOCK, JETSTREAM, JETSTREAM_MANAGER, METRICS_REGISTRY, NATS_CONNECTION, SERVICE_CONFIG, SQL_DATABASE, SUBJECTS } from '../config/tokens';
import { NatsEnvelopeServer } from '../transport/nats-envelope.server';
import { ProjectionHost } from './projection-host';
import { ServiceClock } from './service-clock';

export interface MessagingOptions {
  /** The domain whose stream this service writes. */
  readonly domain: string;
  /** Every event this service publishes. */
  readonly catalog: EventCatalog;
  /** Other domains whose streams it reads; ensured so a consumer never waits on a missing stream. */
  readonly consumesDomains?: readonly string[];
}

export const backboneLogger = (logger: Logger): BackboneLogger => ({
  info: (message, meta) => logger.log({ ...meta, msg: message }),
  warn: (message, meta) => logger.warn({ ...meta, msg: message }),
  error: (message, meta) => logger.error({ ...meta, msg: message }),
});

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly projections: ProjectionHost,
    private readonly requests: NatsEnvelopeServer,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections.startAll();
  }

  /**
   * First phase, while HTTP still serves the requests in flight: stop taking NATS requests and
   * finish those in hand, and stop the projections after their current batch. Bounded by
   * SHUTDOWN_GRACE_MS so an unreachable broker cannot hold the process until it is killed.
   */
  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.logger.log({ msg: 'draining: requests, projections, NATS', signal });
    await this.withinGrace('requests and projections', async () => {
      await this.requests.close();
      await this.projections.stopAll();
    });
  }

  /** Last phase, after Nest closed the HTTP server: nothing can publish any more, so drain NATS. */
  async onApplicationShutdown(): Promise<void> {
    await this.withinGrace('NATS', async () => {
      if (!this.nc.isClosed()) await this.nc.drain();
    });
    this.logger.log({ msg: 'drained' });
  }

  /** Shutdown goes on whatever happens here: a failure or a timeout is logged, never thrown. */
  private async withinGrace(what: string, work: () => Promise<void>): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<'expired'>((resolve) => (timer = setTimeout(() => resolve('expired'), this.config.SHUTDOWN_GRACE_MS)));
    const finished = work().then(
      () => 'done' as const,
      (error: unknown) => {
        this.logger.warn({ msg: `draining ${what} failed`, error: String(error) });
        return 'failed' as const;
      },
    );
    const outcome = await Promise.race([finished, expired]);
    clearTimeout(timer);
    if (outcome === 'expired') this.logger.warn({ msg: `shutdown grace of ${this.config.SHUTDOWN_GRACE_MS} ms ran out draining ${what}` });
  }
}

@Global()
@Module({})
export class MessagingModule {
  static forRoot(options: MessagingOptions): DynamicModule {
    const logger = new Logger('Messaging');
    return {
      module: MessagingModule,
      providers: [
        {
          provide: SUBJECTS,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => new SubjectSpace(config.KAILASH_NAMESPACE),
        },
        {
          provide: HLC_CLOCK,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) => new HybridLogicalClock({ nodeId: `${config.service}-${config.instanceId}`.slice(0, 64) }),
        },
        {
          provide: NATS_CONNECTION,
          inject: [SERVICE_CONFIG],
          useFactory: (config: ServiceConfig) =>
            connectToNats({
              servers: config.NATS_URL.split(','),
              name: `${config.service}-${config.instanceId}`,
              user: config.NATS_USER,
              pass: config.NATS_PASSWORD,
              token: config.NATS_TOKEN,
            }),
        },
        { provide: JETSTREAM, inject: [NATS_CONNECTION], useFactory: (nc: NatsConnection) => jetstream(nc) },
        {
          provide: JETSTREAM_MANAGER,
          inject: [NATS_CONNECTION, SUBJECTS, HLC_CLOCK],
          useFactory: async (nc: NatsConnection, subjects: SubjectSpace, clock: HybridLogicalClock) => {
            const jsm = await jetstreamManager(nc);
            for (const domain of new Set([options.domain, ...(options.consumesDomains ?? [])])) {
              await ensureStream(jsm, domainStreamSpec(subjects, domain));
            }
            await ensureStream(jsm, deadLetterStreamSpec(subjects));
            await ensureStream(jsm, telemetryStreamSpec(subjects));
            await seedClockFromStream(jsm, subjects.stream(options.domain), clock);
            return jsm;
          },
        },
        {
          provide: SQL_DATABASE,
          inject: [getDataSourceToken()],
          useFactory: (dataSource: DataSource) => new PgDatabase((dataSource.driver as PostgresDriver).master),
        },
        {
          provide: EventPublisher,
          inject: [JETSTREAM, SUBJECTS, HLC_CLOCK, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (js: JetStreamClient, subjects: SubjectSpace, clock: HybridLogicalClock, config: ServiceConfig, registry: Registry) =>
            new EventPublisher({
              js,
              subjects,
              clock,
              domain: options.domain,
              catalog: options.catalog,
              source: { service: config.service, instance: config.instanceId },
              metrics: BackboneMetrics.for(registry),
            }),
        },
        {
          // Served through Nest (bootstrapService connects it as a microservice); drained first at shutdown.
          provide: NatsEnvelopeServer,
          inject: [NATS_CONNECTION, SUBJECTS, SERVICE_CONFIG],
          useFactory: (nc: NatsConnection, subjects: SubjectSpace, config: ServiceConfig) =>
            new NatsEnvelopeServer({ nc, subjects, queue: config.service, maxPayloadBytes: config.HTTP_BODY_LIMIT_BYTES }),
        },
        {
          provide: RequestClient,
          inject: [NATS_CONNECTION, SUBJECTS],
          useFactory: (nc: NatsConnection, subjects: SubjectSpace) => new RequestClient(nc, subjects),
        },
        {
          provide: ProjectionHost,
          inject: [JETSTREAM, JETSTREAM_MANAGER, SUBJECTS, SQL_DATABASE, HLC_CLOCK, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (
            js: JetStreamClient,
            jsm: JetStreamManager,
            subjects: SubjectSpace,
            db: SqlDatabase,
            clock: HybridLogicalClock,
            config: ServiceConfig,
            registry: Registry,
          ) =>
            new ProjectionHost({
              js,
              jsm,
              subjects,
              db,
              clock,
              service: config.service,
              logger: backboneLogger(logger),
              metrics: BackboneMetrics.for(registry),
              stallAfterMs: config.PROJECTION_STALL_MS,
            }),
        },
        MessagingLifecycle,
        ServiceClock,
      ],
      exports: [ServiceClock, SUBJECTS, HLC_CLOCK, NATS_CONNECTION, JETSTREAM, JETSTREAM_MANAGER, SQL_DATABASE, EventPublisher, NatsEnvelopeServer, RequestClient, ProjectionHost],
    };
  }
}
