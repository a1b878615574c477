import type { ServiceConfig } from '@kailash/service-kit';
import { loadServiceConfig } from '@kailash/service-kit';

export const STATE_SERVICE = 'state-svc';

export function loadStateConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return loadServiceConfig(STATE_SERVICE, { port: 3001, database: 'kailash_state' }, env);
}
