import { randomBytes } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import type { NatsServerProcess } from './nats-server';
import { startNatsServer } from './nats-server';

export interface PermissionedNatsOptions {
  /**
   * Renders the server's configuration (users and their permissions) once the port and storage
   * are chosen; `passwordOf` gives each user the password the test will connect with.
   */
  readonly config: (settings: {
    readonly port: number;
    readonly storeDir: string;
    readonly passwordOf: (user: string) => string;
  }) => string;
  /** Bound of each connection attempt (default 5 s). */
  readonly connectTimeoutMs?: number;
}

/** A nats-server of its own with named users, and the test's connections to it. */
export interface PermissionedNats {
  readonly server: NatsServerProcess;
  readonly url: string;
  /** A random password per user, made on first ask and kept for the server's life. */
  passwordOf(user: string): string;
  /** Connects as `user` with its password, or anonymously without one; closed by `close()`. */
  connectAs(user?: string): Promise<NatsConnection>;
  /** What a service connects with as `user`: NATS_URL, NATS_USER, NATS_PASSWORD. */
  serviceEnv(user: string): Record<string, string>;
  /** Closes every connection made with `connectAs`, then stops the server. */
  close(): Promise<void>;
}

/**
 * Starts a nats-server whose configuration names users with passwords and subject permissions
 * (the shared test server is open), for tests of who may publish, subscribe and request what.
 */
export async function startPermissionedNats(options: PermissionedNatsOptions): Promise<PermissionedNats> {
  const passwords = new Map<string, string>();
  const passwordOf = (user: string): string => {
    let password = passwords.get(user);
    if (password === undefined) passwords.set(user, (password = randomBytes(18).toString('base64url')));
    return password;
  };
  const server = await startNatsServer({
    config: ({ port, storeDir }) => options.config({ port, storeDir, passwordOf }),
  });
  const connections: NatsConnection[] = [];
  return {
    server,
    url: server.url,
    passwordOf,
    connectAs: async (user) => {
      const nc = await connect({
        servers: server.url,
        ...(user === undefined ? {} : { user, pass: passwordOf(user) }),
        timeout: options.connectTimeoutMs ?? 5_000,
        reconnect: false,
      });
      connections.push(nc);
      return nc;
    },
    serviceEnv: (user) => ({ NATS_URL: server.url, NATS_USER: user, NATS_PASSWORD: passwordOf(user) }),
    close: async () => {
      await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
      await server.stop();
    },
  };
}
