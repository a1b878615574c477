import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { COORD_DOMAIN, coordEventCatalog } from '@kailash/contracts';
import { ServiceKitModule } from '@kailash/service-kit';
import type { ServiceConfig } from '@kailash/service-kit';
import { historyEnabled } from './config';
import { CoordinationModule } from './coordination/coordination.module';
import { readModelMigrations } from './read-model/1796200000000-create-coord-history';
import { ReadModelModule } from './read-model/read-model.module';

/**
 * One replica. Its state lives in its WAL and snapshots, and every KV read is served from the
 * replicated state machine; its own PostgreSQL database holds the history it applied (read-model/).
 */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    const common = { config, domain: COORD_DOMAIN, catalog: coordEventCatalog };
    const history = historyEnabled(config);
    return {
      module: AppModule,
      imports: [
        history
          ? ServiceKitModule.forRoot({ ...common, migrations: readModelMigrations })
          : ServiceKitModule.forRoot({ ...common, database: false }),
        ...(history ? [ReadModelModule.forRoot()] : []),
        CoordinationModule.forRoot(config),
      ],
    };
  }
}
