import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import type {
  LatestMetricRequest,
  LatestMetricResult,
  MetricQuery,
  MetricQueryResult,
  MetricSummaryRequest,
  MetricSummaryResult,
  RecordMetricRequest,
  SubjectSpace,
  TopKMetricRequest,
  TopKMetricResult,
} from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import {
  JETSTREAM,
  JETSTREAM_MANAGER,
  SERVICE_CONFIG,
  ServiceClock,
  SQL_DATABASE,
  SUBJECTS,
} from '@kailash/service-kit';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { metricSummary, topKEdges } from './fleet-query';
import { createPartitions, dropExpiredPartitions, dropExpiredRollupPartitions } from './partitions';
import type { QueryContext } from './resolution';
import { assertInKeptWindow } from './sample-window';
import { writeSamples } from './sample-writer';
import type { SeriesConfig } from './series.config';
import { loadSeriesConfig } from './series.config';
import { latestMetric, queryMetrics } from './series-query';
import { DEFAULT_MATERIALISE_OPTIONS, RollupMaterialiser } from './rollup-materialiser';
import { SeriesCache } from './series-cache';
import { TelemetryIngest } from './telemetry-ingest';

/** record_metric, the queries, the TELEMETRY ingest and partition upkeep of monitor-svc. */
@Injectable()
export class SeriesService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Series');
  private readonly config: SeriesConfig;
  private readonly ingest: TelemetryIngest;
  private readonly materialiser: RollupMaterialiser;
  /** Series record_metric has registered (the ingest keeps its own). */
  private readonly series = new SeriesCache();
  private stopMaintenance?: () => void;
  private stopMaterialiser?: () => void;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) serviceConfig: ServiceConfig,
    @Inject(JETSTREAM) js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) jsm: JetStreamManager,
    @Inject(SUBJECTS) subjects: SubjectSpace,
    private readonly clock: ServiceClock,
  ) {
    this.config = loadSeriesConfig(serviceConfig.env);
    this.ingest = new TelemetryIngest({
      js,
      jsm,
      subjects,
      db,
      service: serviceConfig.service,
      policy: this.config.partitions,
      nowMs: () => clock.nowMs(),
      batchSize: this.config.ingest.batchSize,
      pullExpiresMs: this.config.ingest.pullExpiresMs,
      logger: {
        info: (msg, meta) => this.logger.log({ msg, ...meta }),
        warn: (msg, meta) => this.logger.warn({ msg, ...meta }),
        error: (msg, meta) => this.logger.error({ msg, ...meta }),
      },
    });
    this.materialiser = new RollupMaterialiser(db, {
      ...DEFAULT_MATERIALISE_OPTIONS,
      graceMs: this.config.rollups.graceMs,
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.maintainPartitions();
    this.stopMaintenance = this.clock.every(this.config.maintenanceEveryMs, () => this.maintainPartitions());
    this.stopMaterialiser = this.clock.every(this.config.rollups.everyMs, () => this.materialise());
    this.ingest.start();
  }

  /** Folds the closed minutes into the rollups (a no-op on replicas that are not the active one). */
  async materialise(): Promise<void> {
    try {
      await this.materialiser.runOnce(this.clock.nowMs());
    } catch (error) {
      this.logger.warn({ msg: 'rollup materialisation failed; retried next round', error: String(error) });
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.stopMaintenance?.();
    this.stopMaterialiser?.();
    await this.ingest.stop();
    await this.materialiser.release();
  }

  /** Partitions for the days ahead exist before samples arrive; whole days (months) past retention go. */
  async maintainPartitions(): Promise<void> {
    const now = this.clock.nowMs();
    await createPartitions(this.db, this.config.partitions, now);
    const dropped = await dropExpiredPartitions(this.db, this.config.partitions, now);
    if (dropped.length > 0) this.logger.log({ msg: 'raw partitions past retention dropped', dropped });
    const rollups = await dropExpiredRollupPartitions(this.db, this.config.partitions, now);
    if (rollups.length > 0) this.logger.log({ msg: 'rollup partitions past retention dropped', rollups });
  }

  async record(request: RecordMetricRequest): Promise<{ accepted: number }> {
    assertInKeptWindow(request.samples, this.config.partitions, this.clock.nowMs(), (i) => `samples.${i}.at`);
    const accepted = await this.series.within((series) =>
      this.db.transaction((tx) => writeSamples(tx, request.samples, series)),
    );
    return { accepted };
  }

  query(query: MetricQuery): Promise<MetricQueryResult> {
    return queryMetrics(this.db, query, this.queryContext());
  }

  topK(request: TopKMetricRequest): Promise<TopKMetricResult> {
    return topKEdges(this.db, request, this.queryContext());
  }

  summary(request: MetricSummaryRequest): Promise<MetricSummaryResult> {
    return metricSummary(this.db, request, this.queryContext());
  }

  private queryContext(): QueryContext {
    return { nowMs: this.clock.nowMs(), policy: this.config.partitions };
  }

  latest(request: LatestMetricRequest): Promise<LatestMetricResult> {
    return latestMetric(this.db, request);
  }
}
