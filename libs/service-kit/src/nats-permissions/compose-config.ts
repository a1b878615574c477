import type { ServiceTopology } from '@kailash/contracts';
import { SERVICE_TOPOLOGY } from '@kailash/contracts';
import { natsServerConfig, passwordVariable } from './nats-server-config';

/**
 * The nats-server configuration of docker-compose (deploy/nats/nats-server.conf): every port and
 * path as the compose file mounts them, and `$NATS_PASSWORD_<SERVICE>` references that nats-server
 * resolves from its environment, so no secret is written into the file. `services` lets the service
 * generator render it with the service it is adding.
 */
export function composeNatsServerConfig(services: readonly ServiceTopology[] = SERVICE_TOPOLOGY): string {
  return natsServerConfig({
    services,
    host: '0.0.0.0',
    port: 4222,
    monitorPort: 8222,
    storeDir: '/data',
    passwordOf: (service) => ({ env: passwordVariable(service) }),
    admin: { user: 'admin', password: { env: 'NATS_PASSWORD_ADMIN' } },
  });
}
