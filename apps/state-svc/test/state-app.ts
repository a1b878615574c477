import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_AUTHORIZED } from '@kailash/service-kit/testing';
import { AppModule } from '../src/app.module';
import { loadStateConfig } from '../src/config';

export { TEST_API_KEY, TEST_PRINCIPAL } from '@kailash/service-kit/testing';

/** A real state-svc on an ephemeral port, with its own namespace and database. */
export type StateApp = TestService;

/** `env` overrides the test environment (e.g. a short PROJECTION_STALL_MS). */
export function startStateApp(env: Record<string, string> = {}): Promise<StateApp> {
  return startTestService(
    { loadConfig: loadStateConfig, module: AppModule.forRoot },
    { HTTP_BODY_LIMIT_BYTES: '16384', ...env },
  );
}

export const authorized = TEST_AUTHORIZED;
