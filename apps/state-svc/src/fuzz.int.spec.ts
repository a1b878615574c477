import { SubjectSpace } from '@kailash/contracts';
import { fuzzRoute, fuzzRouteName, streamStateProbe } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { FUZZ_SEEDS, stateFuzzRoutes } from '../test/fuzz-routes';
import type { StateApp } from '../test/state-app';
import { authorized, startStateApp, TEST_API_KEY } from '../test/state-app';

/** Fixed, so a failure is a reproducible counterexample; change it to explore further. */
const SEED = 20261201;
const CASES_PER_ROUTE = 300;
/** The whole walk stays within this, however loaded the machine (fast-check stops generating). */
const TOTAL_BUDGET_MS = 40_000;

/**
 * Every route and subject of state-svc under generated hostile input: no 5xx or INTERNAL, every
 * refusal names what is wrong, and a refused mutation stores nothing.
 */
describe('state-svc under fuzzed input (real NATS + PostgreSQL)', () => {
  let state: StateApp;
  beforeAll(async () => {
    state = await startStateApp({ RATE_LIMIT_PER_MINUTE: '10000000' });
    await seedExistingState(state);
  }, 60_000);
  afterAll(() => state?.close());

  // Names for the test titles; the run uses the app's own namespace.
  const routes = stateFuzzRoutes(new SubjectSpace());
  const perRouteMs = Math.floor(TOTAL_BUDGET_MS / routes.length);

  it.each(routes.map((route, index) => [fuzzRouteName(route), index] as const))(
    '%s',
    async (_, index) => {
      const route = stateFuzzRoutes(state.subjects)[index];
      if (!route) throw new Error(`no route ${index}`);
      const report = await fuzzRoute(
        {
          baseUrl: state.url,
          nc: state.nc,
          headers: { authorization: `Bearer ${TEST_API_KEY}` },
          natsHeaders: { Authorization: `Bearer ${TEST_API_KEY}` },
          state: streamStateProbe(await jetstreamManager(state.nc), [state.subjects.stream('state')]),
        },
        route,
        { seed: SEED, numRuns: CASES_PER_ROUTE, timeLimitMs: perRouteMs },
      );
      expect(report.runs).toBeGreaterThan(0);
      if (process.env['FUZZ_REPORT']) process.stdout.write(`${JSON.stringify(report)}\n`);
    },
    perRouteMs + 30_000,
  );
});

async function seedExistingState(state: StateApp): Promise<void> {
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
