import { connect, type NatsConnection } from '@nats-io/transport-node';
import { eventually } from '../test-nats';
import { createNetworkLab, type NetworkLab } from './network-lab';
import { startNatsCluster, type NatsCluster } from './nats-cluster';

/** 'ok' when someone answered, 'none' when the server knows no responder, 'error' otherwise. */
async function ask(nc: NatsConnection, subject: string): Promise<'ok' | 'none' | 'error'> {
  try {
    await nc.request(subject, 'ping', { timeout: 500 });
    return 'ok';
  } catch (error) {
    return String(error).toLowerCase().includes('no responders') ? 'none' : 'error';
  }
}

describe('NATS cluster in network namespaces (needs root)', () => {
  let lab: NetworkLab;
  let cluster: NatsCluster;
  const connections: NatsConnection[] = [];

  beforeAll(async () => {
    lab = createNetworkLab(3);
    cluster = await startNatsCluster({ size: 3, lab, jetstream: false });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(connections.map((nc) => nc.close()));
    await cluster?.stop();
    lab?.destroy();
  });

  const hostOf = (index: number) => {
    const host = cluster.members[index]?.host;
    if (!host) throw new Error(`member ${index} runs in no namespace`);
    return host;
  };

  it('routes between namespaces, loses the cut member, and finds it again after healing', async () => {
    const [first, , third] = cluster.members;
    const asker = await connect({ servers: first?.server.url, pingInterval: 1_000 });
    const responder = await connect({ servers: third?.server.url, pingInterval: 1_000 });
    connections.push(asker, responder);
    responder.subscribe('lab.echo', { callback: (_error, msg) => void msg.respond('pong') });
    await responder.flush();
    await eventually(
      'a request routed from member 0 to member 2',
      () => ask(asker, 'lab.echo'),
      (r) => r === 'ok',
    );

    lab.cut(hostOf(2));
    await eventually(
      'member 0 to drop its route to the cut member',
      () => ask(asker, 'lab.echo'),
      (r) => r === 'none',
      30_000,
    );

    lab.heal(hostOf(2));
    await eventually(
      'the route to come back after healing',
      () => ask(asker, 'lab.echo'),
      (r) => r === 'ok',
      60_000,
    );
  }, 120_000);
});
