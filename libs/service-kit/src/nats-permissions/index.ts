export { natsPermissionsFor } from './nats-permissions';
export type { NatsPermissions } from './nats-permissions';
export { natsServerConfig, passwordVariable } from './nats-server-config';
export type { NatsServerConfigOptions } from './nats-server-config';
export { composeNatsServerConfig } from './compose-config';
