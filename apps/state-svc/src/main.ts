import 'reflect-metadata';
import { runService } from '@kailash/service-kit';
import { AppModule } from './app.module';
import { loadStateConfig, STATE_SERVICE } from './config';

runService({
  service: STATE_SERVICE,
  loadConfig: loadStateConfig,
  module: AppModule.forRoot,
  title: 'Kailash Edge — state-svc',
  description: 'Edge registry, lifecycle, leases, durable state objects and placement',
});
