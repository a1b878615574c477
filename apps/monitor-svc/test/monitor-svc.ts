import type { TestServiceDefinition } from '@kailash/service-kit/testing';
import { AppModule } from '../src/app.module';
import { loadMonitorConfig } from '../src/config';

/** monitor-svc as the tests start it (see startTestService). */
export const monitorService: TestServiceDefinition = {
  loadConfig: loadMonitorConfig,
  module: AppModule.forRoot,
};
