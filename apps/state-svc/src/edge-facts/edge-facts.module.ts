import type { BeforeApplicationShutdown, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Logger, Module } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { SqlDatabase } from '@kailash/backbone';
import { BackboneMetrics } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { ServiceConfig } from '@kailash/service-kit';
import {
  HLC_CLOCK,
  JETSTREAM,
  JETSTREAM_MANAGER,
  METRICS_REGISTRY,
  ReadinessProbes,
  SERVICE_CONFIG,
  SQL_DATABASE,
  SUBJECTS,
} from '@kailash/service-kit';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { Registry } from 'prom-client';
import { FleetSnapshotStore } from '../placement/fleet-snapshot.store';
import { EdgeFactsFeed } from './edge-facts.feed';
import { MonitorFeed } from './monitor-feed';

/** How often each instance looks for new facts: the bound on how late placement sees a health change. */
export const EDGE_FACTS_REFRESH_MS = 100;

/**
 * Monitoring's health and utilisation events onto placement: the MONITOR consumer writes
 * `edge_facts`, and each instance reports what changed there to its fleet view as EdgeFacts.
 */
@Module({
  providers: [
    {
      provide: MonitorFeed,
      inject: [
        JETSTREAM,
        JETSTREAM_MANAGER,
        SUBJECTS,
        SQL_DATABASE,
        HLC_CLOCK,
        SERVICE_CONFIG,
        METRICS_REGISTRY,
      ],
      useFactory: (
        js: JetStreamClient,
        jsm: JetStreamManager,
        subjects: SubjectSpace,
        db: SqlDatabase,
        clock: HybridLogicalClock,
        config: ServiceConfig,
        registry: Registry,
      ) => {
        const logger = new Logger('MonitorFeed');
        return new MonitorFeed({
          js,
          jsm,
          subjects,
          db,
          clock,
          service: config.service,
          metrics: BackboneMetrics.for(registry),
          logger: {
            info: (msg, meta) => logger.log({ msg, ...meta }),
            warn: (msg, meta) => logger.warn({ msg, ...meta }),
            error: (msg, meta) => logger.error({ msg, ...meta }),
          },
        });
      },
    },
  ],
})
export class EdgeFactsModule implements OnApplicationBootstrap, BeforeApplicationShutdown, OnModuleDestroy {
  private readonly logger = new Logger('EdgeFacts');
  private timer: NodeJS.Timeout | undefined;
  private looking: Promise<unknown> | undefined;

  constructor(
    private readonly monitor: MonitorFeed,
    private readonly moduleRef: ModuleRef,
    private readonly probes: ReadinessProbes,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // The placement slice's own store, found across modules so that slice need not export it for us.
    const store = this.moduleRef.get(FleetSnapshotStore, { strict: false });
    const feed = new EdgeFactsFeed(this.db, {
      reportFact: (fact) => store.reportFact(fact),
      capacityOf: async (edgeId) => (await store.fleet()).get(edgeId)?.capacity,
    });
    // Before the service takes requests: a restarted instance must not offer an edge known unhealthy.
    await feed
      .catchUp()
      .catch((error: unknown) => this.logger.warn({ msg: 'edge facts not read', error: String(error) }));
    this.timer = setInterval(() => {
      this.looking ??= feed
        .catchUp()
        .catch((error: unknown) => this.logger.warn({ msg: 'edge facts not read', error: String(error) }))
        .finally(() => (this.looking = undefined));
    }, EDGE_FACTS_REFRESH_MS);
    this.timer.unref();
    // Down only when the consumer is stuck on an event; a missing monitor-svc is no reason to refuse traffic.
    this.probes.register('monitor-feed', () => {
      const stall = this.monitor.stall;
      return stall
        ? { up: false, message: `edge-facts stalled at MONITOR sequence ${stall.seq}` }
        : { up: true, details: { consumer: this.monitor.status } };
    });
    this.monitor.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.monitor.stop();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    await this.looking;
  }
}
