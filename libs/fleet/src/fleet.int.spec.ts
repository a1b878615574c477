import type { EdgeSnapshot } from '@kailash/contracts';
import {
  EdgeDeregistered,
  EdgeLifecycleChanged,
  EdgeRegistered,
  EdgeRegisteredV1,
  EdgeUpdated,
  EdgeUpdatedV1,
  transitionedEdge,
  updatedEdge,
} from '@kailash/contracts';
import {
  connectTestNats,
  deleteStreamsWithPrefix,
  eventually,
  testJetStreamManager,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { runProjectionRebuild } from '@kailash/service-kit';
import type { ScratchService } from '../test/scratch-service';
import { startScratchService } from '../test/scratch-service';
import { edgeOf, startStateWriter } from '../test/state-writer';
import { fleetProjectionName, fleetRebuildTarget } from './fleet.module';
import { FleetReader } from './fleet.reader';

const at = (minute: number) => `2026-11-26T10:${String(minute).padStart(2, '0')}:00.000Z`;

describe('fleet view in a service that is not state-svc (real NATS + PostgreSQL)', () => {
  const namespace = uniqueName('fl');
  const database = uniqueName('fleet');
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let scratch: ScratchService;
  let fleet: FleetReader;

  beforeAll(async () => {
    nc = await connectTestNats('fleet-test');
    jsm = await testJetStreamManager(nc);
    // The consumer boots first: the STATE stream does not exist yet, and it must not create it.
    scratch = await startScratchService(namespace, database);
    fleet = scratch.app.get(FleetReader);
  });

  afterAll(async () => {
    await scratch?.app.close();
    await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
    await nc.close();
    const admin = new Client({ connectionString: testPostgresUrl('postgres') });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await admin.end();
  });

  const ready = async () => (await fetch(`${scratch.url}/health/ready`)).status;

  it('waits for the STATE stream without creating it, then keeps the fleet from the edge events alone', async () => {
    const readiness = (await (await fetch(`${scratch.url}/health/ready`)).json()) as {
      error?: Record<string, unknown>;
    };
    expect(readiness.error?.['streams']).toEqual({
      status: 'down',
      [`${namespace.toUpperCase()}_STATE`]: 'waiting',
    });
    await expect(jsm.streams.info(`${namespace.toUpperCase()}_STATE`)).rejects.toThrow(/stream not found/);

    const writer = await startStateWriter(nc, jsm, namespace);
    // An edge registered before events carried the edge (version 1), then changed the same way.
    await writer.publish(EdgeRegisteredV1, {
      edgeId: 'lima-1',
      name: 'Lima 1',
      region: 'sa-east',
      location: { lat: -12.05, lon: -77.04 },
      capacity: { cpu: 4 },
      zones: [],
      tags: {},
      registeredAt: at(0),
    });
    await writer.publish(EdgeUpdatedV1, {
      edgeId: 'lima-1',
      changes: { name: 'Lima One', capacity: { cpu: 8, gpu: 2 } },
      at: at(1),
    });
    // Current events: each carries the edge after the change, as the edge decider writes them.
    let paris = edgeOf({
      edgeId: 'paris-1',
      registeredAt: at(2),
      updatedAt: at(2),
      costPerHour: 1.5,
      provider: 'ovh',
    });
    await writer.publish(EdgeRegistered, { edgeId: 'paris-1', registeredAt: at(2), edge: paris });
    for (const to of ['warming', 'active'] as const) {
      const from = paris.lifecycle;
      paris = transitionedEdge(paris, to, at(3));
      await writer.publish(EdgeLifecycleChanged, {
        edgeId: 'paris-1',
        from,
        to,
        reason: 'boot',
        actor: 'ops',
        at: at(3),
        edge: paris,
      });
    }
    paris = updatedEdge(paris, { endpoint: 'https://paris-1.example', tags: { tier: 'gold' } }, at(4));
    await writer.publish(EdgeUpdated, {
      edgeId: 'paris-1',
      changes: { endpoint: 'https://paris-1.example', tags: { tier: 'gold' } },
      at: at(4),
      edge: paris,
    });
    let oslo: EdgeSnapshot = edgeOf({
      edgeId: 'oslo-1',
      region: 'eu-north',
      registeredAt: at(5),
      updatedAt: at(5),
    });
    await writer.publish(EdgeRegistered, { edgeId: 'oslo-1', registeredAt: at(5), edge: oslo });
    oslo = transitionedEdge(oslo, 'terminated', at(6));
    const lastSeq = await writer.publish(EdgeDeregistered, {
      edgeId: 'oslo-1',
      from: 'initialized',
      reason: 'gone',
      actor: 'ops',
      at: at(6),
      edge: oslo,
    });

    await eventually(
      'the fleet view to reach the last event',
      () => fleet.get('oslo-1'),
      (edge) => edge?.version === lastSeq,
    );
    expect(await ready()).toBe(200);

    expect(await fleet.get('paris-1')).toEqual({ ...paris, version: lastSeq - 2 });
    expect(await fleet.get('lima-1')).toEqual(
      expect.objectContaining({
        name: 'Lima One',
        region: 'sa-east',
        capacity: { cpu: 8, gpu: 2 },
        lifecycle: 'initialized',
        updatedAt: at(1),
      }),
    );
    expect(await fleet.get('oslo-1')).toEqual(
      expect.objectContaining({ lifecycle: 'terminated', updatedAt: at(6) }),
    );
    expect(await fleet.get('nowhere-1')).toBeUndefined();
  });

  it('answers by region, zone, lifecycle and capability, and lists the active edges', async () => {
    const ids = (edges: { edgeId: string }[]) => edges.map((edge) => edge.edgeId);
    expect(ids(await fleet.list())).toEqual(['lima-1', 'oslo-1', 'paris-1']);
    expect(ids(await fleet.list({ region: 'eu-west' }))).toEqual(['paris-1']);
    expect(ids(await fleet.list({ zone: 'gdpr' }))).toEqual(['oslo-1', 'paris-1']);
    expect(ids(await fleet.list({ lifecycle: 'terminated' }))).toEqual(['oslo-1']);
    expect(ids(await fleet.list({ capability: 'gpu' }))).toEqual(['lima-1']);
    expect(ids(await fleet.active())).toEqual(['paris-1']);
    expect(ids(await fleet.active({ region: 'sa-east' }))).toEqual([]);
  });

  it('left the stream its writer configured as it was', async () => {
    const info = await jsm.streams.info(`${namespace.toUpperCase()}_STATE`);
    expect(info.config.description).toBe('written by state-svc');
  });

  it('rebuilds from the stream with one command into the same fleet, old versions included', async () => {
    const before = await fleet.list();
    await scratch.app.close();
    const { config } = scratch;
    await runProjectionRebuild(
      config,
      [fleetRebuildTarget(config.service)],
      fleetProjectionName(config.service),
    );
    const db = new Client({ connectionString: testPostgresUrl(database) });
    await db.connect();
    const { rows } = await db.query<{ count: string }>('SELECT count(*) FROM fleet_edges');
    await db.end();
    expect(rows[0]?.count).toBe('0');
    scratch = await startScratchService(namespace, database);
    fleet = scratch.app.get(FleetReader);
    const last = Math.max(...before.map((edge) => edge.version));
    await eventually(
      'the replay to finish',
      () => fleet.list(),
      (edges) => edges.some((edge) => edge.version === last),
    );
    expect(await fleet.list()).toEqual(before);
  });
});
