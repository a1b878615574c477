import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_API_KEY, TEST_AUTHORIZED } from '@kailash/service-kit/testing';
import { bearerHeaders, fuzzSuite, streamStateProbe } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FUZZ_SEEDS, fuzzRoutes } from '../test/fuzz-routes';
import { waitUntilReady } from '../test/replica-process';
import { coordService } from '../test/coordination-svc';

const suite = fuzzSuite({ routes: fuzzRoutes, seed: 20261201, casesPerRoute: 100, totalBudgetMs: 12_000 });

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

  it.each(suite.cases)(
    '%s',
    async (_, index) => {
      const state = streamStateProbe(await jetstreamManager(service.nc), [service.subjects.stream('coord')]);
      const target = { baseUrl: service.url, nc: service.nc, ...bearerHeaders(TEST_API_KEY), state };
      await suite.run(index, { subjects: service.subjects, target });
    },
    suite.timeoutMs,
  );
});
