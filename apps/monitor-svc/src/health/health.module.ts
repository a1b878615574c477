import { Module } from '@nestjs/common';
import { EdgeHealthController } from './health.controller';
import { HealthMetrics } from './health.metrics';
import { EdgeHealthService } from './health.service';

/** Per-edge health from the stored series, its change events, utilisation reports and get_health. */
@Module({ controllers: [EdgeHealthController], providers: [HealthMetrics, EdgeHealthService] })
export class EdgeHealthModule {}
