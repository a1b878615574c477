import { eventually } from '@kailash/testing';
import type { StateCluster, StateInstance } from '../test/state-cluster';
import { authorized, startStateCluster, TEST_API_KEY } from '../test/state-cluster';

const CLIENTS = 16;
const ROUNDS = 10;

jest.setTimeout(240_000);

/**
 * Commands must not leave JetStream consumers behind: thousands of lingering ephemeral consumers
 * once made the server spend its time listing them, and a surviving instance answered 500 for minutes
 * after its peer was killed. Two built instances, 16 clients on one hot object and on cold ones.
 */
describe('state-svc commands leave the consumer count unchanged (two built processes, kill -9)', () => {
  let cluster: StateCluster;
  const instances: StateInstance[] = [];
  let acked = 0;

  const launch = () => cluster.start({ as: 'process' });
  const consumerCount = async () => {
    let total = 0;
    for await (const info of cluster.jsm.streams.list())
      if (info.config.name.startsWith(`${cluster.namespace.toUpperCase()}_`))
        total += info.state.consumer_count;
    return total;
  };
  const increment = async (instance: StateInstance, objectId: string) => {
    const response = await fetch(`${instance.url}/state-objects/${objectId}/keys/n/increment`, {
      method: 'POST',
      headers: authorized,
      body: JSON.stringify({ by: 1 }),
    });
    return response.status;
  };
  /** Every client increments the hot object and its own cold one, round-robin over the live instances. */
  const load = async (live: readonly StateInstance[]) => {
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        for (let round = 0; round < ROUNDS; round++) {
          const instance = live[(client + round) % live.length] as StateInstance;
          statuses.push(await increment(instance, 'hot'), await increment(instance, `cold-${client}`));
        }
      }),
    );
    acked += statuses.filter((status) => status === 200).length / 2;
    return statuses;
  };
  const hotValue = async (instance: StateInstance) => {
    const response = await fetch(`${instance.url}/state-objects/hot/keys/n`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    return ((await response.json()) as { value: number }).value;
  };

  beforeAll(async () => {
    cluster = await startStateCluster();
    instances.push(await launch(), await launch());
  });
  afterAll(async () => {
    await Promise.all(instances.filter((instance) => instance.running).map((instance) => instance.kill()));
    await cluster.close();
  }, 120_000);

  it('creates no consumer for commands on hot and cold objects, and none after a kill -9 and restart', async () => {
    // Each instance has durable projection consumers of its own; the count settles once both run them.
    await eventually('both instances consuming', consumerCount, (count) => count > 0);
    await load(instances);
    const baseline = await consumerCount();

    expect((await load(instances)).every((status) => status === 200)).toBe(true);
    expect(await consumerCount()).toBe(baseline);

    // The first instance dies without a word; the survivor keeps answering writes.
    await instances[0]?.kill();
    const survivor = instances[1] as StateInstance;
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
    expect(await hotValue(instances[0] as StateInstance)).toBe(acked);
  });
});
