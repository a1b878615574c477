import { join } from 'node:path';
import type { ServiceProcess } from '@kailash/testing';
import {
  buildApp,
  connectTestNats,
  deleteStreamsWithPrefix,
  eventually,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';

const ROOT = join(__dirname, '..', '..', '..');
const KEY = 'e2e-key-0123456789abcdef';
const CLIENTS = 16;
const ROUNDS = 10;

jest.setTimeout(240_000);

/**
 * Commands must not leave JetStream consumers behind: thousands of lingering ephemeral consumers
 * once made the server spend its time listing them, and a surviving instance answered 500 for minutes
 * after its peer was killed. Two built instances, 16 clients on one hot object and on cold ones.
 */
describe('state-svc commands leave the consumer count unchanged (two built processes, kill -9)', () => {
  const namespace = uniqueName('e2e');
  const database = uniqueName('state_cc');
  let main = '';
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const instances: ServiceProcess[] = [];
  let acked = 0;

  const env = () => ({
    API_KEYS: KEY,
    KAILASH_NAMESPACE: namespace,
    NATS_URL: testNatsUrl(),
    DATABASE_URL: testPostgresUrl(database),
    LOG_LEVEL: 'warn',
  });
  const launch = async () => {
    const instance = startServiceProcess(main, await freePort(), env());
    await instance.ready();
    return instance;
  };
  const consumerCount = async () => {
    let total = 0;
    for await (const info of jsm.streams.list())
      if (info.config.name.startsWith(namespace.toUpperCase())) total += info.state.consumer_count;
    return total;
  };
  const increment = async (instance: ServiceProcess, objectId: string) => {
    const response = await fetch(`${instance.url}/state-objects/${objectId}/keys/n/increment`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
      body: JSON.stringify({ by: 1 }),
    });
    return response.status;
  };
  /** Every client increments the hot object and its own cold one, round-robin over the live instances. */
  const load = async (live: readonly ServiceProcess[]) => {
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let round = 0; round < ROUNDS; round++) {
          const instance = live[(client + round) % live.length] as ServiceProcess;
          statuses.push(await increment(instance, 'hot'), await increment(instance, `cold-${client}`));
        }
      }),
    );
    acked += statuses.filter((status) => status === 200).length / 2;
    return statuses;
  };
  const hotValue = async (instance: ServiceProcess) => {
    const response = await fetch(`${instance.url}/state-objects/hot/keys/n`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    return ((await response.json()) as { value: number }).value;
  };

  beforeAll(async () => {
    main = buildApp(ROOT, 'state-svc');
    nc = await connectTestNats('consumer-count');
    jsm = await jetstreamManager(nc);
    instances.push(await launch(), await launch());
  });
  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.crash()));
    await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
    await nc.close();
    const admin = new Client({ connectionString: testPostgresUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  it('creates no consumer for commands on hot and cold objects, and none after a kill -9 and restart', async () => {
    // Each instance has durable projection consumers of its own; the count settles once both run them.
    await eventually('both instances consuming', consumerCount, (count) => count > 0);
    await load(instances);
    const baseline = await consumerCount();

    expect((await load(instances)).every((status) => status === 200)).toBe(true);
    expect(await consumerCount()).toBe(baseline);

    // The first instance dies without a word; the survivor keeps answering writes.
    await instances[0]?.crash();
    const survivor = instances[1] as ServiceProcess;
    expect((await load([survivor])).every((status) => status === 200)).toBe(true);

    instances[0] = await launch();
    expect((await load(instances)).every((status) => status === 200)).toBe(true);
    // A takeover replaces the dead instance's projection consumers with the survivor's: same count.
    await eventually(
      'the consumer count back at its baseline',
      consumerCount,
      (count) => count === baseline,
      30_000,
    );
    expect(await hotValue(survivor)).toBe(acked);
    expect(await hotValue(instances[0] as ServiceProcess)).toBe(acked);
  });
});
