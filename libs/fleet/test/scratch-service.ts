import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EventCatalog } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { bootstrapService, loadServiceConfig, ServiceKitModule } from '@kailash/service-kit';
import { testNatsUrl, testPostgresUrl } from '@kailash/testing';
import { FleetModule } from '../src';

/** A service that is not state-svc and knows nothing of it: the kit, its own domain, and the fleet. */
@Module({})
class ScratchServiceModule {
  static forRoot(config: ServiceConfig) {
    return {
      module: ScratchServiceModule,
      imports: [
        ServiceKitModule.forRoot({
          config,
          domain: 'scratch',
          catalog: new EventCatalog([]),
          migrations: [],
          features: [FleetModule.forRoot()],
        }),
      ],
    };
  }
}

export const SCRATCH_API_KEY = 'scratch-key-0123456789abcdef';

export interface ScratchService {
  readonly app: INestApplication;
  readonly url: string;
  readonly config: ServiceConfig;
}

export async function startScratchService(namespace: string, database: string): Promise<ScratchService> {
  const config = loadServiceConfig(
    'scratch-svc',
    { port: 0, database },
    {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KAILASH_NAMESPACE: namespace,
      NATS_URL: testNatsUrl(),
      DATABASE_URL: testPostgresUrl(database),
      API_KEYS: SCRATCH_API_KEY,
    },
  );
  const app = await bootstrapService(ScratchServiceModule.forRoot(config), config, {
    title: 'scratch',
    description: 'fleet consumer under test',
  });
  return { app, config, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}
