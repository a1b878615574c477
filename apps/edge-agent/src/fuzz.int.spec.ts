import { KvScan, SubjectSpace } from '@kailash/contracts';
import type { StateProbe } from '@kailash/testing';
import { fuzzRoute, fuzzRouteName } from '@kailash/testing';
import type { AgentProcess } from '../test/edge-harness';
import { BOOT_MS, EdgeHarness, STOP_MS, TEST_KEY } from '../test/edge-harness';
import { agentFuzzRoutes, FUZZ_EDGE, FUZZ_STORE, FUZZ_WORKLOADS } from '../test/fuzz-routes';

/** Fixed, so a failure is a reproducible counterexample; change it to explore further. */
const SEED = 20261201;
const CASES_PER_ROUTE = 80;
/** The whole walk stays within this, however loaded the machine (fast-check stops generating). */
const TOTAL_BUDGET_MS = 12_000;

/**
 * Every route and subject of the agent under generated hostile input: no 5xx or INTERNAL, every
 * refusal names what is wrong, and a refused KV write leaves the store as it was.
 */
describe('edge-agent under fuzzed input (built processes, real NATS + PostgreSQL)', () => {
  let harness: EdgeHarness;
  let agent: AgentProcess;
  beforeAll(async () => {
    harness = await EdgeHarness.start();
    agent = await harness.startAgent({
      edgeId: FUZZ_EDGE,
      workloads: FUZZ_WORKLOADS,
      env: { RATE_LIMIT_PER_MINUTE: '10000000', HTTP_BODY_LIMIT_BYTES: '16384' },
    });
  }, BOOT_MS * 3);
  afterAll(() => harness?.close(), STOP_MS * 2);

  const routes = agentFuzzRoutes(new SubjectSpace());
  const perRouteMs = Math.floor(TOTAL_BUDGET_MS / routes.length);

  /** The store's keys and versions: a refused write must leave them as they were. */
  const storeProbe = (): StateProbe<string> => {
    const snapshot = async () =>
      JSON.stringify(await harness.ask(FUZZ_EDGE, KvScan, { store: FUZZ_STORE, limit: 1000 }));
    return { mark: snapshot, changedBy: async (mark) => (await snapshot()) !== mark };
  };

  it.each(routes.map((route, index) => [fuzzRouteName(route), index] as const))(
    '%s',
    async (_, index) => {
      const route = agentFuzzRoutes(harness.subjects)[index];
      if (!route) throw new Error(`no route ${index}`);
      const report = await fuzzRoute(
        {
          baseUrl: agent.url,
          nc: harness.nc,
          headers: { authorization: `Bearer ${TEST_KEY}` },
          natsHeaders: { Authorization: `Bearer ${TEST_KEY}` },
          state: storeProbe(),
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
