import type { ServiceConfig } from '@kailash/service-kit';
import { loadServiceConfig } from '@kailash/service-kit';

export const MONITOR_SERVICE = 'monitor-svc';

export function loadMonitorConfig(env: NodeJS.ProcessEnv = process.env): ServiceConfig {
  return loadServiceConfig(MONITOR_SERVICE, { port: 3101, database: 'kailash_monitor' }, env);
}
