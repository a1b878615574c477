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
import { SequenceInterceptor } from './context/sequence.interceptor';
import { ApiKeyGuard } from './http/api-key.guard';
import { ErrorFilter } from './http/error.filter';
import { QueryParametersGuard } from './http/query-parameters';
import { loggerParams } from './logging';
import { MessagingModule } from './messaging/messaging.module';
import { MetricsModule } from './metrics/metrics.module';

export interface ServiceKitOptions extends DatabaseOptions {
  readonly config: ServiceConfig;
  readonly domain: string;
  readonly catalog: EventCatalog;
  readonly consumesDomains?: readonly string[];
}

/**
 * Everything a Kailash service stands on: validated config, JSON logs with correlation ids,
 * its own migrated database, NATS/JetStream, health, metrics, API-key auth and rate limits.
 */
@Global()
@Module({})
export class ServiceKitModule {
  static forRoot(options: ServiceKitOptions): DynamicModule {
    const { config } = options;
    return {
      module: ServiceKitModule,
      imports: [
        LoggerModule.forRoot(loggerParams(config)),
        // HTTP only: NATS requests are bounded per instance by the transport's maxInFlight instead.
        ThrottlerModule.forRoot({
          throttlers: [{ ttl: 60_000, limit: config.RATE_LIMIT_PER_MINUTE }],
          skipIf: (context) => context.getType() !== 'http',
        }),
        TerminusModule.forRoot({ gracefulShutdownTimeoutMs: 0, errorLogStyle: 'json' }),
        MetricsModule,
        DatabaseModule.forRoot(options),
        MessagingModule.forRoot(options),
      ],
      controllers: [HealthController],
      providers: [
        { provide: SERVICE_CONFIG, useValue: config },
        { provide: APP_GUARD, useClass: ThrottlerGuard },
        { provide: APP_GUARD, useClass: ApiKeyGuard },
        { provide: APP_GUARD, useClass: QueryParametersGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_INTERCEPTOR, useClass: SequenceInterceptor },
      ],
      exports: [SERVICE_CONFIG],
    };
  }
}
