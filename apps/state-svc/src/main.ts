import 'reflect-metadata';
import { ConfigError, bootstrapService } from '@kailash/service-kit';
import { AppModule } from './app.module';
import { loadStateConfig } from './config';

async function main(): Promise<void> {
  const config = loadStateConfig();
  await bootstrapService(AppModule.forRoot(config), config, {
    title: 'Kailash Edge — state-svc',
    description: 'Edge registry, lifecycle, leases, durable state objects and placement',
  });
}

main().catch((error: unknown) => {
  // A bad environment names its variables; anything else is logged whole. Either way: stop.
  process.stderr.write(`state-svc failed to start: ${error instanceof ConfigError ? error.message : String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
