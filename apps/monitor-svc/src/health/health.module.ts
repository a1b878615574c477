import { Module } from '@nestjs/common';
import { EdgeHealthController } from './health.controller';
import { EdgeHealthService } from './health.service';

/** Per-edge health from the stored series, its change events, utilisation reports and get_health. */
@Module({ controllers: [EdgeHealthController], providers: [EdgeHealthService] })
export class EdgeHealthModule {}
