import { RegisterEdge } from '@kailash/contracts';
import { connectTestNats, eventually, testPostgresUrl } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import type { StateCluster } from './state-cluster';
import { startStateCluster } from './state-cluster';

// Real servers on 2 shared cores, and a build for the process instances: generous bounds, none a speed assertion.
jest.setTimeout(120_000);

const edge = (edgeId: string) => ({
  edgeId,
  name: edgeId,
  region: 'eu-west',
  location: { lat: 48.8, lon: 2.3 },
});

const databaseExists = async (name: string) => {
  const admin = new Client({ connectionString: testPostgresUrl('postgres') });
  await admin.connect();
  try {
    return (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount === 1;
  } finally {
    await admin.end();
  }
};

describe('the state-svc test cluster (real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  beforeAll(async () => (cluster = await startStateCluster()), 120_000);
  afterAll(() => cluster?.close(), 60_000);

  it('reads stored events by subject filter without leaving consumers behind, and waits for a projection by sequence', async () => {
    const instance = await cluster.start();
    await cluster.client.send(RegisterEdge, edge('read-1'));
    const sequence = await cluster.lastSequence();
    expect((await instance.request('POST', '/edges', edge('read-2'))).status).toBe(201);
    // Counted once every projection consumes (ready): a runner taking up its consumer is not a read's.
    await cluster.waitForProjection('edges', await cluster.lastSequence());
    await eventually(
      'the instance ready',
      async () => (await instance.fetch('/health/ready')).status,
      (status) => status === 200,
    );
    const consumersBefore = (await cluster.jsm.consumers.list(cluster.stream).next()).length;

    const one = await cluster.storedEvents({ aggregateType: 'edge', aggregateId: 'read-1' });
    expect(one).toEqual([
      expect.objectContaining({
        seq: sequence,
        type: 'edge.registered',
        data: expect.objectContaining({ edgeId: 'read-1' }),
      }),
    ]);
    expect(
      (await cluster.storedEvents({ aggregateType: 'edge' })).map((event) => event.data['edgeId']),
    ).toEqual(['read-1', 'read-2']);
    expect(await cluster.storedEvents({ aggregateType: 'lease' })).toEqual([]);
    expect((await cluster.jsm.consumers.list(cluster.stream).next()).length).toBe(consumersBefore);

    await cluster.waitForProjection('edges', await cluster.lastSequence());
    expect((await instance.fetch('/edges/read-2')).status).toBe(200);
    await expect(cluster.waitForProjection('edges', (await cluster.lastSequence()) + 1, 500)).rejects.toThrow(
      /projection edges at sequence \d+/,
    );
  });

  it('restarts an in-process instance on the same data, and refuses to kill one abruptly', async () => {
    const [instance] = cluster.instances;
    if (!instance) throw new Error('the first test started an instance');
    await instance.restart();
    expect(instance.running).toBe(true);
    expect((await instance.fetch('/edges/read-1')).status).toBe(200);
    await expect(instance.kill()).rejects.toThrow(/cannot die abruptly/);
    await instance.stop();
    expect(instance.running).toBe(false);
    expect(cluster.instances).not.toContain(instance);
  });

  it('runs the built app as a process beside in-process instances: killed, restarted, still serving the data', async () => {
    const inProcess = await cluster.start();
    const built = await cluster.start({ as: 'process', env: { LOG_LEVEL: 'info' } });
    expect(built.kind).toBe('process');
    expect(() => built.app).toThrow(/is a process/);
    expect((await built.request('POST', '/edges', edge('proc-1'))).status).toBe(201);
    await cluster.waitForProjection('edges', await cluster.lastSequence());
    expect((await inProcess.fetch('/edges/proc-1')).status).toBe(200);

    await built.kill();
    expect(built.running).toBe(false);
    await built.restart();
    expect((await built.fetch('/edges/read-1')).status).toBe(200);
    await built.stop();
    // Its own words on the way down, still readable once it has gone.
    expect(built.output()).toMatch(/"msg":"drained"/);
  });

  it('cleans up after itself: streams of the namespace and the database are gone', async () => {
    const { namespace, databaseName } = cluster;
    expect(await databaseExists(databaseName)).toBe(true);
    await cluster.close();
    const nc = await connectTestNats('cluster-cleanup-check');
    try {
      const names: string[] = [];
      for await (const name of (await jetstreamManager(nc)).streams.names()) names.push(name);
      expect(names.filter((name) => name.startsWith(`${namespace.toUpperCase()}_`))).toEqual([]);
    } finally {
      await nc.close();
    }
    expect(await databaseExists(databaseName)).toBe(false);
  });
});
