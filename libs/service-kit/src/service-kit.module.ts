import type { DynamicModule } from '@nestjs/common';
import { Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerGuard, ThrottlerModule } from '@nestjs/throttler';
import type { EventCatalog } from '@kailash/contracts';
import { LoggerModule } from 'nestjs-pino';
import type { ServiceConfig } from './config/service-config';
import { SERVICE_CONFIG } from './config/tokens';
import type { DatabaseOptions } from './database/database.module';
import { DatabaseModule } from './database/database.module';
import { HealthController } from './health/health.controller';
import { ReadinessProbes } from './health/readiness-probes';
import { SequenceInterceptor } from './context/sequence.interceptor';
import { ApiKeyGuard } from './http/api-key.guard';
import { FixedWindowThrottlerStorage } from './http/fixed-window-throttler.storage';
import { ErrorFilter } from './http/error.filter';
import { QueryParametersGuard } from './http/query-parameters';
import { loggerParams } from './logging';
import type { MessagingOptions } from './messaging/messaging.module';
import { MessagingModule } from './messaging/messaging.module';
import type { StreamOwnership } from './messaging/service-streams';
import { MetricsModule } from './metrics/metrics.module';
import { ReadYourWritesInterceptor } from './read-your-writes/read-your-writes.interceptor';

/**
 * A ready-made piece a service mounts (e.g. the fleet view): its Nest module, and the migrations
 * of the tables it keeps in the service's database, run with the service's own.
 */
export interface ServiceFeature extends DynamicModule {
  readonly migrations?: DatabaseOptions['migrations'];
}

interface CommonOptions extends StreamOwnership {
  readonly config: ServiceConfig;
  readonly domain: string;
  readonly catalog: EventCatalog;
  readonly features?: readonly ServiceFeature[];
  readonly requestSubject?: MessagingOptions['requestSubject'];
}

/** With its own database (the default), or without one: NATS, HTTP, health, metrics and config only. */
export type ServiceKitOptions = CommonOptions &
  ((DatabaseOptions & { readonly database?: true }) | { readonly database: false });

/**
 * Everything a Kailash service stands on: validated config, JSON logs with correlation ids,
 * its own migrated database, NATS/JetStream, health, metrics, API-key auth and rate limits.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const { config } = options;
    const features = options.features ?? [];
    const withDatabase = options.database !== false;
    if (!withDatabase && features.some((feature) => feature.migrations)) {
      throw new Error('a feature with tables needs a database; this service has database: false');
    }
    return {
      module: ServiceKitModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        // HTTP only: NATS requests are bounded per instance by the transport's maxInFlight instead.
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          storage: new FixedWindowThrottlerStorage(),
          skipIf: (context) => context.getType() !== 'http',
        }),
        TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0, errorLogStyle: 'json' }),
        MetricsModule,
        ...(options.database === false
          ? []
          : [
              DatabaseModule.forRoot({
                ...options,
                migrations: [
                  ...toArray(options.migrations),
                  ...features.flatMap((feature) => toArray(feature.migrations ?? [])),
                ],
              }),
            ]),
        MessagingModule.forRoot({ ...options, database: withDatabase }),
        ...features.map(({ migrations: _migrations, ...module }) => module),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        ReadinessProbes,
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: QueryParametersGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: SequenceInterceptor },
        { provide: APP_INTERCEPTOR, useClass: ReadYourWritesInterceptor },
      ],
      exports: [SERVICE_CONFIG, ReadinessProbes],
    };
  }
}

function toArray<T>(list: T[] | Record<string, T>): T[] {
  return Array.isArray(list) ? list : Object.values(list);
}
