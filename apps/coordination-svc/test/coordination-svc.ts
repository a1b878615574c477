import type { TestServiceDefinition } from '@kailash/service-kit/testing';
import { AppModule } from '../src/app.module';
import { loadCoordConfig } from '../src/config';

/** coordination-svc as the tests start it (see startTestService). */
export const coordService: TestServiceDefinition = { loadConfig: loadCoordConfig, module: AppModule.forRoot };
