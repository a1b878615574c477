import { SubjectSpace } from '@kailash/contracts';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_API_KEY, TEST_AUTHORIZED } from '@kailash/service-kit/testing';
import { fuzzRoute, fuzzRouteName, streamStateProbe } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUZZ_SEEDS, fuzzRoutes } from '../test/fuzz-routes';
import { waitUntilReady } from '../test/replica-process';
import { coordService } from '../test/coordination-svc';

/** Fixed, so a failure is a reproducible counterexample; change it to explore further. */
const SEED = 20261201;
const CASES_PER_ROUTE = 100;
/** The whole walk stays within this, however loaded the machine (fast-check stops generating). */
const TOTAL_BUDGET_MS = 12_000;

/**
 * Every route and subject of coordination-svc under generated hostile input: no 5xx or INTERNAL, every
 * refusal names what is wrong, and a refused mutation stores nothing.
 */
describe('coordination-svc under fuzzed input (real NATS + PostgreSQL)', () => {
  let service: TestService;
  let dataDir: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coord-fuzz-'));
    // A one-replica group: it elects itself, and every route has a leader to answer.
    service = await startTestService(coordService, {
      RATE_LIMIT_PER_MINUTE: '10000000',
      COORD_NODE_ID: '1',
      COORD_PEERS: '1',
      COORD_DATA_DIR: dataDir,
      COORD_TICK_MS: '20',
    });
    await waitUntilReady(service.url, 20_000);
    const seeded = await fetch(`${service.url}/kv/put`, {
      method: 'POST',
      headers: TEST_AUTHORIZED,
      body: JSON.stringify({ key: FUZZ_SEEDS.key, value: 'fuzz' }),
    });
    expect(seeded.status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  // Names for the test titles; the run uses the service's own namespace.
  const routes = fuzzRoutes(new SubjectSpace());
  const perRouteMs = Math.floor(TOTAL_BUDGET_MS / routes.length);

  it.each(routes.map((route, index) => [fuzzRouteName(route), index] as const))(
    '%s',
    async (_, index) => {
      const route = fuzzRoutes(service.subjects)[index];
      if (!route) throw new Error(`no route ${index}`);
      const state = streamStateProbe(await jetstreamManager(service.nc), [service.subjects.stream('coord')]);
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
