import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { stateEventCatalog, STATE_DOMAIN } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ServiceKitModule } from '@kailash/service-kit';
import { EdgesModule } from './edges/edges.module';
import { stateMigrations } from './migrations';

@Module({})
export class AppModule {
  static forRoot(config: ServiceConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ServiceKitModule.forRoot({ config, domain: STATE_DOMAIN, catalog: stateEventCatalog, migrations: stateMigrations }),
        EdgesModule,
      ],
    };
  }
}
