import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';

export interface NatsSettings {
  readonly servers: string | string[];
  readonly name: string;
  /** Credentials come from the environment; never from the repository. */
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
}

export function connectToNats(settings: NatsSettings): Promise<NatsConnection> {
  return connect({
    servers: settings.servers,
    name: settings.name,
    user: settings.user,
    pass: settings.pass,
    token: settings.token,
    maxReconnectAttempts: -1,
    reconnectTimeWait: 500,
    // Otherwise every request (each JetStream publish and message get) builds two Error objects up
    // front, stack traces included, only to throw them away on the reply: a measurable share of a
    // command's CPU. Request errors keep their message and cause; only the caller's async stack goes.
    noAsyncTraces: true,
  });
}
