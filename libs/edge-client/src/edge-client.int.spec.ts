import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import { KailashError, SetStateValue, SubjectSpace } from '@kailash/contracts';
import type { ServiceProcess } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { EdgeClient } from './edge-client';
import { EdgeWorkloads } from './edge-workloads';
import { NatsAgentTransport } from './nats-agent-transport';
import type { Target } from './routing';
import { StateSvcLocator } from './state-svc-locator';

const ROOT = join(__dirname, '..', '..', '..');
const KEY = 'edge-client-int-key-0123456789';
// Bounds for a build, three processes and the network on a loaded machine; none is a speed claim.
const BUILD_MS = 120_000;
const READY_MS = 90_000;
const WORKLOADS = JSON.stringify([
  { id: 'resize', kind: 'function', initMs: 150, memoryMb: 2, execMs: 1, keepAliveMs: 600_000 },
  { id: 'carts', kind: 'kv' },
]);
const EDGES = {
  'lisbon-t': { region: 'eu-south', location: '38.72,-9.14' },
  'helsinki-t': { region: 'eu-north', location: '60.17,24.94' },
} as const;
type EdgeId = keyof typeof EDGES;

/** state-svc and two edge agents as real processes; the client finds and follows them over NATS. */
describe('EdgeClient against real agents and state-svc', () => {
  const namespace = uniqueName('ec');
  const database = uniqueName('ec_state');
  const dataDir = mkdtempSync(join(tmpdir(), 'edge-client-'));
  const agents = new Map<EdgeId, ServiceProcess>();
  let stateSvc: ServiceProcess | undefined;
  let nc: NatsConnection;
  let transport: NatsAgentTransport;
  let locator: StateSvcLocator;
  let owner: EdgeId;
  let other: EdgeId;

  beforeAll(
    async () => {
      const [stateMain, agentMain] = await Promise.all([
        builtAppMain('state-svc', ROOT, BUILD_MS),
        builtAppMain('edge-agent', ROOT, BUILD_MS),
      ]);
      const shared = { NATS_URL: testNatsUrl(), KAILASH_NAMESPACE: namespace, API_KEYS: `int:${KEY}` };
      stateSvc = startServiceProcess(stateMain, await freePort(), {
        ...shared,
        DATABASE_URL: testPostgresUrl(database),
      });
      await stateSvc.ready(READY_MS);
      for (const [edgeId, edge] of Object.entries(EDGES) as [EdgeId, (typeof EDGES)[EdgeId]][]) {
        const agent = startServiceProcess(agentMain, await freePort(), {
          ...shared,
          SERVICE_API_KEY: KEY,
          EDGE_ID: edgeId,
          EDGE_REGION: edge.region,
          EDGE_LOCATION: edge.location,
          EDGE_ZONES: 'gdpr',
          EDGE_DATA_DIR: join(dataDir, edgeId),
          EDGE_WORKLOADS: WORKLOADS,
        });
        agents.set(edgeId, agent);
      }
      await Promise.all([...agents.values()].map((agent) => agent.ready(READY_MS)));

      nc = await connectTestNats('edge-client-int');
      const state = new RequestClient(nc, new SubjectSpace(namespace), { credential: KEY });
      transport = new NatsAgentTransport(nc, { namespace, credential: KEY, timeoutMs: 10_000 });
      locator = new StateSvcLocator(state);
      // The store's state object: state-svc gives it an owner among the active edges.
      const created = await eventually(
        'an owner for the carts store',
        () => state.send(SetStateValue, { objectId: 'carts', key: 'kind', value: 'kv-store' }),
        (result) => result.owner !== null,
        READY_MS,
      );
      owner = created.owner as EdgeId;
      other = owner === 'lisbon-t' ? 'helsinki-t' : 'lisbon-t';
      // The other agent learns the owner from state-svc's event and answers MOVED from then on.
      await eventually(
        `${other} to answer MOVED for carts`,
        () =>
          transport.request(other, 'kv.get', { store: 'carts', key: 'probe' }).then(
            () => 'served',
            (error: KailashError) => error.code as string,
          ),
        (code) => code === 'MOVED',
        READY_MS,
      );
    },
    BUILD_MS + 3 * READY_MS,
  );

  afterAll(async () => {
    await Promise.all([...agents.values()].map((agent) => agent.stop()));
    await stateSvc?.stop();
    if (nc) {
      await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
      await nc.close();
    }
    await dropTestDatabase(database);
    rmSync(dataDir, { recursive: true, force: true });
  }, 60_000);

  const cart = (key: string): Target => ({ kind: 'key', store: 'carts', key });

  it('writes and reads a key on the store’s owner, found through state-svc', async () => {
    const client = new EdgeClient(locator, transport);
    const put = await client.call(cart('c-1'), 'kv.put', { store: 'carts', key: 'c-1', value: ['apple'] });
    expect(put).toEqual({ edgeId: owner, movedFrom: [], result: { key: 'c-1', version: 1 } });
    const got = await client.call(cart('c-1'), 'kv.get', { store: 'carts', key: 'c-1' });
    expect(got).toEqual({
      edgeId: owner,
      movedFrom: [],
      result: { key: 'c-1', value: ['apple'], version: 1 },
    });
  });

  it('a client that asks the wrong edge is answered MOVED and follows it to the owner', async () => {
    const stale = new EdgeClient({ locate: async () => [other] }, transport);
    const put = await stale.call(cart('c-2'), 'kv.put', { store: 'carts', key: 'c-2', value: 7 });
    expect(put).toEqual({ edgeId: owner, movedFrom: [other], result: { key: 'c-2', version: 1 } });
    // The route is remembered: the next call goes straight to the owner.
    const again = await stale.call(cart('c-2'), 'kv.put', { store: 'carts', key: 'c-2', value: 8 });
    expect(again).toEqual({ edgeId: owner, movedFrom: [], result: { key: 'c-2', version: 2 } });
  });

  it('invokes a function on the edge placement ranks first for the client: cold once, then warm', async () => {
    const client = new EdgeClient(locator, transport);
    const nearLisbon: Target = {
      kind: 'function',
      workload: 'resize',
      client: { lat: 38.7, lon: -9.1 },
      country: 'PT',
    };
    const first = await client.call<{ coldStart: boolean }>(nearLisbon, 'workload.invoke', {
      workloadId: 'resize',
    });
    const second = await client.call<{ coldStart: boolean }>(nearLisbon, 'workload.invoke', {
      workloadId: 'resize',
    });
    expect([first.edgeId, first.result.coldStart]).toEqual(['lisbon-t', true]);
    expect([second.edgeId, second.result.coldStart]).toEqual(['lisbon-t', false]);
  });

  it('typed calls: compare-and-set wins once per version, delete leaves the version counting', async () => {
    const workloads = new EdgeWorkloads(new EdgeClient(locator, transport));
    await expect(workloads.compareAndSet('carts', 'c-3', 0, 'new')).resolves.toEqual({
      edgeId: owner,
      result: { key: 'c-3', version: 1 },
    });
    await expect(workloads.compareAndSet('carts', 'c-3', 0, 'again')).rejects.toMatchObject({
      code: 'PRECONDITION_FAILED',
      details: { reason: 'version-mismatch', currentVersion: 1 },
    });
    await expect(workloads.delete('carts', 'c-3', 1)).resolves.toMatchObject({
      result: { deleted: true, version: 2 },
    });
    await expect(workloads.get('carts', 'c-3')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('an edge id no agent serves is UNAVAILABLE, with no call answered', async () => {
    const error = await transport
      .request('nowhere-t', 'kv.get', { store: 'carts', key: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KailashError);
    expect((error as KailashError).code).toBe('UNAVAILABLE');
  });
});
