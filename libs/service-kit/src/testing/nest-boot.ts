import type { DynamicModule, Type } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { bootstrapService } from '../bootstrap';
import type { ServiceConfig } from '../config/service-config';
import { ServiceClock } from '../messaging/service-clock';
import type { InProcessBoot, InstanceEnv } from './service-cluster';

export interface NestServiceBoot<C extends ServiceConfig> {
  /** The service's config loader, as its main.ts calls it (validates the environment). */
  readonly loadConfig: (env: InstanceEnv) => C;
  /** The service's root module for a config. */
  readonly appModule: (config: C) => Type<unknown> | DynamicModule;
  readonly title?: string;
}

/** The root of one test instance: the service's module beside the cluster's clock. */
@Module({})
class ClusterInstanceModule {}

/**
 * Boots a ServiceKit service in-process the way its main.ts does, its ServiceClock driven by the
 * cluster's clock when there is one.
 */
export function nestServiceBoot<C extends ServiceConfig>(service: NestServiceBoot<C>): InProcessBoot {
  return async (env, { clock }) => {
    const config = service.loadConfig(env);
    const appModule = service.appModule(config);
    const root: DynamicModule = {
      module: ClusterInstanceModule,
      imports: [appModule, ...(clock ? [ServiceClock.drivenBy(clock)] : [])],
    };
    const title = service.title ?? config.service;
    return bootstrapService(root, config, { title, description: `${title} (test instance)` });
  };
}
