import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { COORD_DOMAIN, coordEventCatalog } from '@kailash/contracts';
import { ServiceKitModule } from '@kailash/service-kit';
import type { ServiceConfig } from '@kailash/service-kit';
import { CoordinationModule } from './coordination/coordination.module';

/**
 * One replica. It keeps no read model in PostgreSQL (database: false): its state lives in its WAL
 * and snapshots, and every read is served from the replicated state machine.
 */
@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          config,
          domain: COORD_DOMAIN,
          catalog: coordEventCatalog,
          database: false,
        }),
        CoordinationModule.forRoot(config),
      ],
    };
  }
}
