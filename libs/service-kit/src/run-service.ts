import type { DynamicModule } from '@nestjs/common';
import type { BootstrapOptions } from './bootstrap';
import { bootstrapService } from './bootstrap';
import type { ServiceConfig } from './config/service-config';
import { ConfigError } from './config/service-config';

export interface ServiceMain extends BootstrapOptions {
  /** Named in the message when it cannot start. */
  readonly service: string;
  readonly loadConfig: () => ServiceConfig;
  readonly module: (config: ServiceConfig) => DynamicModule;
}

/** A service's main: read the environment, start, and on any failure say why and stop. */
export function runService(main: ServiceMain): void {
  const start = async () => {
    const config = main.loadConfig();
    await bootstrapService(main.module(config), config, main);
  };
  start().catch((error: unknown) => {
    // A bad environment names its variables; anything else is logged whole. Either way: stop.
    const reason = error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error);
    process.stderr.write(`${main.service} failed to start: ${reason}\n`);
    process.exit(1);
  });
}
