import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { MONITOR_DOMAIN, monitorEventCatalog } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ServiceKitModule } from '@kailash/service-kit';
import { AlertsModule } from './alerts/alerts.module';
import { AnalyticsModule } from './analytics/analytics.module';
import { EdgeHealthModule } from './health/health.module';
import { monitorMigrations } from './migrations';
import { SeriesModule } from './series/series.module';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          config,
          domain: MONITOR_DOMAIN,
          catalog: monitorEventCatalog,
          migrations: monitorMigrations,
          // Monitoring owns TELEMETRY's retention; agents only create it if missing.
          telemetry: 'owner',
        }),
        SeriesModule,
        EdgeHealthModule,
        AlertsModule,
        AnalyticsModule,
      ],
    };
  }
}
