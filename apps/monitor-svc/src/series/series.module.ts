import { Module } from '@nestjs/common';
import { SeriesController } from './series.controller';
import { SeriesService } from './series.service';

/** Time series: TELEMETRY ingest, record_metric, partitions with retention, rollups and queries. */
@Module({ controllers: [SeriesController], providers: [SeriesService] })
export class SeriesModule {}
