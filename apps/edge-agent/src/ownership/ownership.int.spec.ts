import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventPublisher } from '@kailash/backbone';
import { domainStreamSpec, ensureStream } from '@kailash/backbone';
import type { EventDefinition } from '@kailash/contracts';
import { STATE_DOMAIN, StateObjectOwnerChanged, StateValueSet, SubjectSpace } from '@kailash/contracts';
import { connectTestNats, deleteStreamsWithPrefix, eventually, uniqueName } from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AgentConfig } from '../config/agent-config';
import { WorkloadCatalog } from '../functions/workload-catalog';
import { stateEventPublisher } from '../../test/state-events';
import { Ownership } from './ownership';

const EDGE = 'edge-a';
const WORKLOADS = 50;
// Bounds for NATS round trips on a loaded machine, and one retry of a missing stream; no speed claim.
const WAIT_MS = 15_000;

/** Ownership followed from state-svc's events on the real NATS: one consumer, nothing polled. */
describe('Ownership from state-object events (real NATS)', () => {
  const namespace = uniqueName('own');
  const subjects = new SubjectSpace(namespace);
  const dataDir = mkdtempSync(join(tmpdir(), 'ownership-'));
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let publisher: EventPublisher;
  let catalog: WorkloadCatalog;
  let ownership: Ownership;

  const publish = <D extends EventDefinition>(definition: D, objectId: string, data: object) =>
    publisher.publish({
      definition,
      aggregateId: objectId,
      data: { objectId, at: new Date().toISOString(), ...data } as never,
    });
  const movedTo = (workloadId: string): string | null => {
    try {
      ownership.assertOwned(workloadId);
      return null;
    } catch (error) {
      return (error as { details: { owner: string } }).details.owner;
    }
  };

  beforeAll(async () => {
    nc = await connectTestNats('ownership-int');
    jsm = await jetstreamManager(nc);
    publisher = stateEventPublisher(nc, subjects);
    const workloads = Array.from({ length: WORKLOADS }, (_, i) => ({ id: `kv-${i}`, kind: 'kv' }));
    const config = { edgeId: EDGE, dataDir, workloads } as unknown as AgentConfig;
    catalog = new WorkloadCatalog(config);
    ownership = new Ownership(config, nc, subjects, catalog);
    // Started before state-svc made its stream: the feed waits for it.
    ownership.onApplicationBootstrap();
    await ensureStream(jsm, domainStreamSpec(subjects, STATE_DOMAIN));
  }, WAIT_MS);

  afterAll(async () => {
    await ownership?.onApplicationShutdown();
    if (nc) {
      await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
      await nc.close();
    }
    rmSync(dataDir, { recursive: true, force: true });
  }, WAIT_MS);

  it('follows an owner from the creating event and from owner changes, for every workload with one consumer', async () => {
    expect(movedTo('kv-7')).toBeNull();
    expect(ownership.ownerOf('kv-7')).toBe(EDGE);
    await publish(StateValueSet, 'kv-7', { owner: 'edge-b', key: 'kind', value: 'kv-store' });
    await publish(StateValueSet, 'kv-9', { owner: EDGE, key: 'kind', value: 'kv-store' });
    await eventually(
      'kv-7 answered MOVED to edge-b',
      async () => movedTo('kv-7'),
      (o) => o === 'edge-b',
      WAIT_MS,
    );
    expect(movedTo('kv-9')).toBeNull();
    // A later write names no owner: the owner stays.
    await publish(StateValueSet, 'kv-7', { key: 'kind', value: 'still' });
    await publish(StateObjectOwnerChanged, 'kv-9', { from: EDGE, to: 'edge-c', reason: 'edge drained' });
    await eventually(
      'kv-9 moved to edge-c',
      async () => movedTo('kv-9'),
      (o) => o === 'edge-c',
      WAIT_MS,
    );
    expect(movedTo('kv-7')).toBe('edge-b');
    await publish(StateObjectOwnerChanged, 'kv-7', { from: 'edge-b', to: EDGE, reason: 'edge drained' });
    await eventually(
      'kv-7 back here',
      async () => movedTo('kv-7'),
      (o) => o === null,
      WAIT_MS,
    );

    // Fifty workloads, one consumer on the state stream: the cost does not grow with the workloads.
    const consumers = await (await jsm.consumers.list(subjects.stream(STATE_DOMAIN))).next();
    expect(consumers).toHaveLength(1);
  });

  it('ignores objects that are not its workloads, and learns the owner of one deployed later', async () => {
    await publish(StateValueSet, 'late', { owner: 'edge-b', key: 'kind', value: 'kv-store' });
    await publish(StateValueSet, 'kv-3', { owner: 'edge-d', key: 'kind', value: 'kv-store' });
    await eventually(
      'kv-3 owned by edge-d',
      async () => movedTo('kv-3'),
      (o) => o === 'edge-d',
      WAIT_MS,
    );
    expect(movedTo('late')).toBeNull();
    catalog.deploy({ id: 'late', kind: 'kv' });
    await eventually(
      'late owned by edge-b',
      async () => movedTo('late'),
      (o) => o === 'edge-b',
      WAIT_MS,
    );
    // The replay after the deploy kept what was known of the others.
    expect(movedTo('kv-3')).toBe('edge-d');
    expect(movedTo('kv-9')).toBe('edge-c');
  });
});
