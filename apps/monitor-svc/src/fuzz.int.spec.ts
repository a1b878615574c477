import { SubjectSpace } from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_API_KEY } from '@kailash/service-kit/testing';
import { fuzzRoute, fuzzRouteName, streamStateProbe } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { fuzzRoutes } from '../test/fuzz-routes';
import { monitorService } from '../test/monitor-svc';

/** Fixed, so a failure is a reproducible counterexample; change it to explore further. */
const SEED = 20261201;
const CASES_PER_ROUTE = 100;
/** The whole walk stays within this, however loaded the machine (fast-check stops generating). */
const TOTAL_BUDGET_MS = 12_000;

/**
 * Every route and subject of monitor-svc under generated hostile input: no 5xx or INTERNAL, and
 * every refusal names what is wrong.
 */
describe('monitor-svc under fuzzed input (real NATS + PostgreSQL)', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(monitorService, { RATE_LIMIT_PER_MINUTE: '10000000' });
  }, 60_000);
  afterAll(() => service?.close());

  // Names for the test titles; the run uses the service's own namespace.
  const routes = fuzzRoutes(new SubjectSpace());
  const perRouteMs = Math.floor(TOTAL_BUDGET_MS / routes.length);

  it.each(routes.map((route, index) => [fuzzRouteName(route), index] as const))(
    '%s',
    async (_, index) => {
      const route = fuzzRoutes(service.subjects)[index];
      if (!route) throw new Error(`no route ${index}`);
      const state = streamStateProbe(await jetstreamManager(service.nc), [
        service.subjects.stream('monitor'),
      ]);
      const target = {
        baseUrl: service.url,
        nc: service.nc,
        headers: { authorization: `Bearer ${TEST_API_KEY}` },
        state,
      };
      const report = await fuzzRoute(target, route, {
        seed: SEED,
        numRuns: CASES_PER_ROUTE,
        timeLimitMs: perRouteMs,
      });
      expect(report.runs).toBeGreaterThan(0);
    },
    perRouteMs + 30_000,
  );
});
