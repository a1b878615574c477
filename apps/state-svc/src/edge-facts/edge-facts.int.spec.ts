import type { EventDefinition } from '@kailash/contracts';
import {
  EdgeHealthChanged,
  EdgeUtilisationReported,
  MONITOR_DOMAIN,
  monitorEventCatalog,
  PlaceWorkload,
} from '@kailash/contracts';
import { DEAD_LETTER_HEADERS, domainStreamSpec, ensureStream, EventPublisher } from '@kailash/backbone';
import { HybridLogicalClock } from '@kailash/hlc';
import { eventually } from '@kailash/testing';
import { jetstream } from '@nats-io/jetstream';
import type { StateCluster, StateInstance } from '../../test/state-cluster';
import { startStateCluster } from '../../test/state-cluster';
import { EDGE_FACTS_PROJECTION } from './edge-facts.projection';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const WAIT_MS = 15_000;

/**
 * state-svc's MONITOR consumer against real NATS and PostgreSQL, with this test in monitor-svc's
 * place (it creates the stream and publishes the events): facts reach placement, survive a restart
 * of state-svc, and a poison message goes to the DLQ without holding up the next event.
 */
describe('edge facts from MONITOR (state-svc, real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  let state: StateInstance;
  let publisher: EventPublisher;
  let change = 0;

  beforeAll(async () => {
    cluster = await startStateCluster();
    state = await cluster.start();
    for (const edgeId of ['sick', 'busy']) {
      const body = {
        edgeId,
        name: edgeId,
        region: 'eu-west',
        location: PARIS,
        zones: [],
        capacity: { cpu: 10 },
      };
      expect((await state.request('POST', '/edges', body)).status).toBe(201);
      for (const to of ['warming', 'active'])
        expect(
          (await state.request('POST', `/edges/${edgeId}/transitions`, { to, reason: 'test' })).status,
        ).toBe(200);
    }
    await ensureStream(cluster.jsm, domainStreamSpec(cluster.subjects, MONITOR_DOMAIN));
    publisher = new EventPublisher({
      js: jetstream(cluster.nc),
      subjects: cluster.subjects,
      domain: MONITOR_DOMAIN,
      clock: new HybridLogicalClock({ nodeId: 'monitor-test' }),
      source: { service: 'monitor-svc', instance: 'test' },
      catalog: monitorEventCatalog,
    });
  }, 90_000);
  afterAll(() => cluster?.close(), 60_000);

  const publish = <D extends EventDefinition>(definition: D, data: unknown) =>
    publisher.publish({ definition, aggregateId: (data as { edgeId: string }).edgeId, data: data as never });
  const health = (edgeId: string, previous: string, status: string) =>
    publish(EdgeHealthChanged, {
      edgeId,
      previous,
      status,
      change: ++change,
      reasons: [],
      at: new Date().toISOString(),
    });
  const place = () =>
    cluster.client.send(PlaceWorkload, { client: PARIS, strategy: 'load_balanced' } as never);
  const offered = async () => (await place()).candidates.map((candidate) => candidate.edgeId).sort();

  it('filters an unhealthy edge and scores load from measured utilisation', async () => {
    await health('sick', 'healthy', 'unhealthy');
    await publish(EdgeUtilisationReported, {
      edgeId: 'busy',
      utilisation: { cpu: 0.7 },
      at: new Date().toISOString(),
    });
    const result = await eventually(
      'facts in the fleet view',
      place,
      (r) => r.candidates.length === 1 && Math.abs((r.candidates[0]?.scores.load ?? 0) - 30) < 0.01,
      WAIT_MS,
    );
    // 70 % of its 10 cores in use: 30 % free.
    expect(result.candidates.map((c) => c.edgeId)).toEqual(['busy']);
  }, 30_000);

  it('keeps the facts across a restart of state-svc', async () => {
    await state.restart();
    expect(await offered()).toEqual(['busy']);
    const result = await eventually(
      'utilisation reloaded',
      place,
      (r) => Math.abs((r.candidates[0]?.scores.load ?? 0) - 30) < 0.01,
      WAIT_MS,
    );
    expect(result.candidates).toHaveLength(1);
  }, 60_000);

  it('dead-letters a poison event naming the field, and applies the next one', async () => {
    const js = jetstream(cluster.nc);
    await js.publish(cluster.subjects.event(MONITOR_DOMAIN, 'edge', 'sick'), '{not json');
    const valid = (
      await publish(EdgeUtilisationReported, {
        edgeId: 'busy',
        utilisation: { cpu: 0.7 },
        at: new Date().toISOString(),
      })
    ).event;
    const broken = { ...valid, id: 'broken-1', data: { ...valid.data, utilisation: { cpu: 2 } } };
    await js.publish(cluster.subjects.event(MONITOR_DOMAIN, 'edge', 'busy'), JSON.stringify(broken));
    await health('sick', 'unhealthy', 'healthy');
    const dlq = cluster.subjects.deadLetterStream();
    await eventually(
      'two dead letters',
      async () => (await cluster.jsm.streams.info(dlq)).state.messages,
      (n) => n === 2,
      WAIT_MS,
    );
    const details: string[] = [];
    for (let seq = 1; seq <= 2; seq++) {
      const stored = await cluster.jsm.streams.getMessage(dlq, { seq });
      expect(stored?.subject).toBe(cluster.subjects.deadLetter('state-svc', EDGE_FACTS_PROJECTION));
      details.push(
        `${stored?.header.get(DEAD_LETTER_HEADERS.reason)}: ${stored?.header.get(DEAD_LETTER_HEADERS.detail)}`,
      );
    }
    expect(details[0]).toMatch(/^invalid-json: /);
    expect(details[1]).toMatch(/^invalid-data: .*utilisation\.cpu/);
    // The event after both poison messages was applied; the refused utilisation was not.
    const result = await eventually('sick placeable again', place, (r) => r.candidates.length === 2, WAIT_MS);
    const load = Object.fromEntries(result.candidates.map((c) => [c.edgeId, c.scores.load]));
    expect(load['busy']).toBeCloseTo(30, 6);
    expect(load['sick']).toBeCloseTo(100, 6);
  }, 40_000);
});
