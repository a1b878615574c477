import type { Logger, Provider } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { BackboneMetrics } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import type { ServiceConfig } from '../config/service-config';
import {
  HLC_CLOCK,
  JETSTREAM,
  JETSTREAM_MANAGER,
  METRICS_REGISTRY,
  SERVICE_CONFIG,
  SQL_DATABASE,
  SUBJECTS,
} from '../config/tokens';
import { backboneLogger } from './backbone-logger';
import { ProjectionHost } from './projection-host';
import { ServiceStreams } from './service-streams';

/** Projections need the database: only a service with one gets a host for them. */
export function projectionHostProvider(logger: Logger): Provider {
  return {
    provide: ProjectionHost,
    inject: [
      JETSTREAM,
      JETSTREAM_MANAGER,
      SUBJECTS,
      SQL_DATABASE,
      HLC_CLOCK,
      SERVICE_CONFIG,
      METRICS_REGISTRY,
      ServiceStreams,
    ],
    useFactory: (
      js: JetStreamClient,
      jsm: JetStreamManager,
      subjects: SubjectSpace,
      db: SqlDatabase,
      clock: HybridLogicalClock,
      config: ServiceConfig,
      registry: Registry,
      streams: ServiceStreams,
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
        streams,
      }),
  };
}
