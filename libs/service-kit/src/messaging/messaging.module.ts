import type {
  BeforeApplicationShutdown,
  DynamicModule,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { Global, Inject, Injectable, Logger, Module, Optional } from '@nestjs/common';
import { BackboneMetrics, connectToNats, EventPublisher, RequestClient } from '@kailash/backbone';
import type { EventCatalog, RequestDefinition } from '@kailash/contracts';
import { SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from '../config/service-config';
import {
  HLC_CLOCK,
  JETSTREAM,
  JETSTREAM_MANAGER,
  METRICS_REGISTRY,
  NATS_CONNECTION,
  SERVICE_CONFIG,
  SUBJECTS,
} from '../config/tokens';
import { NatsEnvelopeServer } from '../transport/nats-envelope.server';
import { AggregateStores } from './aggregate-stores';
import { ProjectionHost } from './projection-host';
import { ServiceClock } from './service-clock';
import type { StreamOwnership } from './service-streams';
import { backboneLogger } from './backbone-logger';
import { projectionHostProvider } from './projection-host.provider';
import { ServiceStreams, streamProviders } from './service-streams';

export interface MessagingOptions extends StreamOwnership {
  /** The domain whose stream this service writes. */
  readonly domain: string;
  /** Every event this service publishes. */
  readonly catalog: EventCatalog;
  /** False in a service without a database: no projections then. */
  readonly database?: boolean;
  /** Serves some requests on subjects of the service's own (see NatsEnvelopeServerOptions.subjectOf). */
  readonly requestSubject?: (
    definition: RequestDefinition,
    subjects: SubjectSpace,
    config: ServiceConfig,
  ) => string | undefined;
}

export { backboneLogger };

@Injectable()
class MessagingLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  private readonly logger = new Logger('Messaging');

  constructor(
    private readonly requests: NatsEnvelopeServer,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: ServiceConfig,
    @Optional() private readonly projections?: ProjectionHost,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.projections?.startAll();
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
      await this.projections?.stopAll();
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
    const expired = new Promise<'expired'>(
      (resolve) => (timer = setTimeout(() => resolve('expired'), this.config.SHUTDOWN_GRACE_MS)),
    );
    const finished = work().then(
      () => 'done' as const,
      (error: unknown) => {
        this.logger.warn({ msg: `draining ${what} failed`, error: String(error) });
        return 'failed' as const;
      },
    );
    const outcome = await Promise.race([finished, expired]);
    clearTimeout(timer);
    if (outcome === 'expired')
      this.logger.warn({
        msg: `shutdown grace of ${this.config.SHUTDOWN_GRACE_MS} ms ran out draining ${what}`,
      });
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
          useFactory: (config: ServiceConfig) =>
            new HybridLogicalClock({ nodeId: `${config.service}-${config.instanceId}`.slice(0, 64) }),
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
        ...streamProviders(options),
        {
          provide: EventPublisher,
          inject: [JETSTREAM, SUBJECTS, HLC_CLOCK, SERVICE_CONFIG, METRICS_REGISTRY],
          useFactory: (
            js: JetStreamClient,
            subjects: SubjectSpace,
            clock: HybridLogicalClock,
            config: ServiceConfig,
            registry: Registry,
          ) =>
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
            new NatsEnvelopeServer({
              nc,
              subjects,
              queue: config.service,
              maxPayloadBytes: config.HTTP_BODY_LIMIT_BYTES,
              ...(options.requestSubject
                ? { subjectOf: (definition) => options.requestSubject?.(definition, subjects, config) }
                : {}),
            }),
        },
        {
          provide: RequestClient,
          inject: [NATS_CONNECTION, SUBJECTS, SERVICE_CONFIG],
          // Calls to other services carry this service's own key, so they authenticate as it.
          useFactory: (nc: NatsConnection, subjects: SubjectSpace, config: ServiceConfig) =>
            new RequestClient(nc, subjects, { credential: config.SERVICE_API_KEY }),
        },
        ...(options.database === false ? [] : [projectionHostProvider(logger)]),
        {
          provide: AggregateStores,
          inject: [JETSTREAM_MANAGER, SUBJECTS, EventPublisher],
          useFactory: (jsm: JetStreamManager, subjects: SubjectSpace, publisher: EventPublisher) =>
            new AggregateStores({
              jsm,
              subjects,
              domain: options.domain,
              catalog: options.catalog,
              publisher,
            }),
        },
        MessagingLifecycle,
        ServiceClock,
      ],
      exports: [
        ServiceClock,
        SUBJECTS,
        HLC_CLOCK,
        NATS_CONNECTION,
        JETSTREAM,
        JETSTREAM_MANAGER,
        ServiceStreams,
        EventPublisher,
        NatsEnvelopeServer,
        RequestClient,
        AggregateStores,
        ...(options.database === false ? [] : [ProjectionHost]),
      ],
    };
  }
}
