import { freePort } from '../free-port';
import { startNatsServer, type NatsServerProcess } from '../nats-server';
import { uniqueName } from '../unique-name';
import type { LabHost, NetworkLab } from './network-lab';

export interface NatsClusterMember {
  readonly server: NatsServerProcess;
  /** The namespace it runs in, when the cluster was started in a network lab. */
  readonly host: LabHost | undefined;
}

export interface NatsCluster {
  readonly members: readonly NatsClusterMember[];
  /** Every member's client URL, for a connection that fails over between them. */
  readonly urls: readonly string[];
  stop(): Promise<void>;
}

export interface NatsClusterOptions {
  readonly size: number;
  /** Run member i in lab host i (partition tests); on loopback when omitted. */
  readonly lab?: NetworkLab;
  readonly jetstream?: boolean;
}

/**
 * A NATS cluster of its own (full mesh of routes, optional clustered JetStream), each member with
 * its own port and storage; in a network lab each member listens on its namespace's address.
 */
export async function startNatsCluster(options: NatsClusterOptions): Promise<NatsCluster> {
  const name = uniqueName('kl');
  const plan = [];
  for (let i = 0; i < options.size; i++) {
    const host = options.lab?.hosts[i];
    plan.push({
      host,
      address: host?.address ?? '127.0.0.1',
      port: await freePort(),
      routePort: await freePort(),
    });
  }
  const routes = plan.map((p) => `nats-route://${p.address}:${p.routePort}`);
  const members: NatsClusterMember[] = [];
  try {
    await Promise.all(
      plan.map(async (p, i) => {
        const server = await startNatsServer({
          host: p.address,
          port: p.port,
          netns: p.host?.netns,
          startTimeoutMs: 20_000,
          config: ({ storeDir }) =>
            [
              `server_name: ${name}-${i}`,
              `listen: "${p.address}:${p.port}"`,
              // Routes and clients notice a dead link within seconds, not the 2-minute default.
              'ping_interval: "1s"',
              'ping_max: 2',
              options.jetstream === false ? '' : `jetstream { store_dir: "${storeDir}" }`,
              'cluster {',
              `  name: ${name}`,
              `  listen: "${p.address}:${p.routePort}"`,
              `  routes: [${routes
                .filter((_, j) => j !== i)
                .map((r) => `"${r}"`)
                .join(', ')}]`,
              '}',
            ].join('\n'),
        });
        members[i] = { server, host: p.host };
      }),
    );
  } catch (error) {
    await Promise.all(members.filter(Boolean).map((m) => m.server.stop()));
    throw error;
  }
  return {
    members,
    urls: members.map((m) => m.server.url),
    stop: async () => {
      await Promise.all(members.map((m) => m.server.stop()));
    },
  };
}
