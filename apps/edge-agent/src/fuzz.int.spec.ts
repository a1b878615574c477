import { KvScan } from '@kailash/contracts';
import type { StateProbe } from '@kailash/testing';
import { bearerHeaders, fuzzSuite } from '@kailash/testing';
import type { AgentProcess } from '../test/edge-harness';
import { BOOT_MS, EdgeHarness, STOP_MS, TEST_KEY } from '../test/edge-harness';
import { agentFuzzRoutes, FUZZ_EDGE, FUZZ_STORE, FUZZ_WORKLOADS } from '../test/fuzz-routes';

const suite = fuzzSuite({
  routes: agentFuzzRoutes,
  seed: 20261201,
  casesPerRoute: 80,
  totalBudgetMs: 12_000,
});

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

  /** The store's keys and versions: a refused write must leave them as they were. */
  const storeProbe = (): StateProbe<string> => {
    const snapshot = async () =>
      JSON.stringify(await harness.ask(FUZZ_EDGE, KvScan, { store: FUZZ_STORE, limit: 1000 }));
    return { mark: snapshot, changedBy: async (mark) => (await snapshot()) !== mark };
  };

  it.each(suite.cases)(
    '%s',
    async (_, index) => {
      const target = { baseUrl: agent.url, nc: harness.nc, ...bearerHeaders(TEST_KEY), state: storeProbe() };
      await suite.run(index, { subjects: harness.subjects, target });
    },
    suite.timeoutMs,
  );
});
