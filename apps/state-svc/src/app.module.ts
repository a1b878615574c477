import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { stateEventCatalog, STATE_DOMAIN } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ServiceKitModule } from '@kailash/service-kit';
import { EdgeFactsModule } from './edge-facts/edge-facts.module';
import { EdgesModule } from './edges/edges.module';
import { LeasesModule } from './leases/leases.module';
import { PlacementModule } from './placement/placement.module';
import { StateObjectsModule } from './state-objects/state-objects.module';
import { stateMigrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({
          config,
          domain: STATE_DOMAIN,
          catalog: stateEventCatalog,
          migrations: stateMigrations,
        }),
        EdgesModule,
        LeasesModule,
        StateObjectsModule,
        PlacementModule,
        EdgeFactsModule,
      ],
    };
  }
}
