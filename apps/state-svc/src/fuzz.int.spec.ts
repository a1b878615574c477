import { bearerHeaders, fuzzSuite, streamStateProbe } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { FUZZ_SEEDS, stateFuzzRoutes } from '../test/fuzz-routes';
import type { StateCluster, StateInstance } from '../test/state-cluster';
import { authorized, startStateCluster, TEST_API_KEY } from '../test/state-cluster';

const suite = fuzzSuite({
  routes: stateFuzzRoutes,
  seed: 20261201,
  casesPerRoute: 300,
  totalBudgetMs: 40_000,
});

/**
 * Every route and subject of state-svc under generated hostile input: no 5xx or INTERNAL, every
 * refusal names what is wrong, and a refused mutation stores nothing.
 */
describe('state-svc under fuzzed input (real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  let instance: StateInstance;
  beforeAll(async () => {
    cluster = await startStateCluster({ env: { RATE_LIMIT_PER_MINUTE: '10000000' } });
    instance = await cluster.start();
    await seedExistingState(instance);
  }, 60_000);
  afterAll(() => cluster?.close(), 60_000);

  it.each(suite.cases)(
    '%s',
    async (_, index) => {
      const state = streamStateProbe(await jetstreamManager(cluster.nc), [cluster.subjects.stream('state')]);
      const target = { baseUrl: instance.url, nc: cluster.nc, ...bearerHeaders(TEST_API_KEY), state };
      await suite.run(index, { subjects: cluster.subjects, target });
    },
    suite.timeoutMs,
  );
});

async function seedExistingState(state: StateInstance): Promise<void> {
  const send = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${state.url}${path}`, {
      method,
      headers: authorized,
      body: JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`seeding ${method} ${path}: ${response.status} ${await response.text()}`);
  };
  const { edgeId, objectId, key, lock, resource } = FUZZ_SEEDS;
  await send('POST', '/edges', {
    edgeId,
    name: 'fuzz',
    region: 'eu-west',
    location: { lat: 48.85, lon: 2.35 },
    capacity: { cpu: 8 },
  });
  await send('PUT', `/state-objects/${objectId}/keys/${key}`, { value: 1 });
  await send('POST', `/state-objects/${objectId}/locks/${lock}`, { holder: 'fz-holder', ttlMs: 600_000 });
  await send('POST', `/leases/${resource}/acquire`, { holder: 'fz-holder', ttlMs: 3_600_000 });
}
