import { eventually } from '@kailash/testing';
import type { StateApp } from '../../test/state-app';
import { authorized, startStateApp } from '../../test/state-app';
import { chooseOwner } from './owner-affinity';
import { StateObjectsService } from './state-objects.service';
import { json } from '../../test/http';

const EDGES = ['own-a', 'own-b', 'own-c', 'own-d'];
const OBJECTS = Array.from({ length: 24 }, (_, i) => `shard-${i}`);

// Real servers on 2 shared cores: generous per-test limits (nothing here asserts on speed).
jest.setTimeout(60_000);

/** Ownership follows the edges: objects leave draining, terminated and deregistered edges; orphans find one. */
describe('state object ownership as edges come and go (real NATS + PostgreSQL)', () => {
  let state: StateApp;
  beforeAll(async () => (state = await startStateApp()), 60_000);
  afterAll(() => state.close());

  const post = (path: string, body: unknown) =>
    fetch(`${state.url}${path}`, { method: 'POST', headers: authorized, body: JSON.stringify(body) });
  const put = (path: string, body: unknown) =>
    fetch(`${state.url}${path}`, { method: 'PUT', headers: authorized, body: JSON.stringify(body) });
  const ownerOf = async (objectId: string): Promise<string | null> =>
    (await json(await fetch(`${state.url}/state-objects/${objectId}`, { headers: authorized }))).owner;
  const ownersOf = (ids: readonly string[]) => Promise.all(ids.map(ownerOf));
  const lifecycleOf = async (edgeId: string) =>
    (await json(await fetch(`${state.url}/edges/${edgeId}`, { headers: authorized }))).lifecycle;

  async function register(edgeId: string) {
    expect(
      (await post('/edges', { edgeId, name: edgeId, region: 'eu-west', location: { lat: 48.8, lon: 2.3 } }))
        .status,
    ).toBe(201);
  }
  async function transition(edgeId: string, to: string) {
    expect((await post(`/edges/${edgeId}/transitions`, { to, reason: `test: ${to}` })).status).toBe(200);
    await eventually(
      `${edgeId} ${to} in the edges table`,
      () => lifecycleOf(edgeId),
      (lifecycle) => lifecycle === to,
    );
  }

  it('gives an object created while no edge is active an owner as soon as one becomes active', async () => {
    await register('own-first');
    expect(await json(await put('/state-objects/orphan-1/keys/a', { value: 1 }))).toMatchObject({
      owner: null,
    });
    await transition('own-first', 'warming');
    await transition('own-first', 'active');
    expect(
      await eventually(
        'the orphan adopted',
        () => ownerOf('orphan-1'),
        (owner) => owner === 'own-first',
      ),
    ).toBe('own-first');
    await post('/edges/own-first/deregistration', { reason: 'test: leave before the fleet arrives' });
    await eventually(
      'own-first terminated',
      () => lifecycleOf('own-first'),
      (lifecycle) => lifecycle === 'terminated',
    );
  });

  it('places new objects by rendezvous over the active edges and moves only a draining edge objects', async () => {
    for (const edgeId of EDGES) {
      await register(edgeId);
      await transition(edgeId, 'warming');
      await transition(edgeId, 'active');
    }
    for (const objectId of OBJECTS)
      expect((await put(`/state-objects/${objectId}/keys/v`, { value: objectId })).status).toBe(200);
    const before = await ownersOf(OBJECTS);
    expect(before).toEqual(OBJECTS.map((id) => chooseOwner(id, EDGES)));

    const draining = 'own-b';
    const onDraining = OBJECTS.filter((_, i) => before[i] === draining);
    expect(onDraining.length).toBeGreaterThan(0);
    await transition(draining, 'draining');

    const rest = EDGES.filter((edgeId) => edgeId !== draining);
    const after = await eventually(
      'objects off the draining edge',
      () => ownersOf(OBJECTS),
      (owners) => !owners.includes(draining),
    );
    OBJECTS.forEach((id, i) => {
      if (before[i] === draining) expect(after[i]).toBe(chooseOwner(id, rest));
      else expect(after[i]).toBe(before[i]);
    });
    // The body and the object's history are untouched by the move; only the version counts it.
    const moved = await json(
      await fetch(`${state.url}/state-objects/${onDraining[0]}`, { headers: authorized }),
    );
    expect(moved).toMatchObject({ body: { v: onDraining[0] }, version: 2 });
  });

  it('moves the objects of a deregistered edge', async () => {
    const before = await ownersOf(OBJECTS);
    const leaving = 'own-c';
    expect(before).toContain(leaving);
    expect((await post(`/edges/${leaving}/deregistration`, { reason: 'test: decommissioned' })).status).toBe(
      200,
    );
    const after = await eventually(
      'objects off the deregistered edge',
      () => ownersOf(OBJECTS),
      (owners) => !owners.includes(leaving),
    );
    expect(after.every((owner) => owner === 'own-a' || owner === 'own-d')).toBe(true);
  });

  it('reassignFrom moves an edge objects even while the edges table still shows it active, and is idempotent', async () => {
    const service = state.app.get(StateObjectsService);
    // orphan-1 went to own-a, the first edge active in the second test: later arrivals take nothing.
    const all = ['orphan-1', ...OBJECTS];
    const before = await ownersOf(all);
    const onA = all.filter((_, i) => before[i] === 'own-a');
    expect(onA).toContain('orphan-1');
    const moves = await service.reassignFrom('own-a', 'test: direct');
    expect(moves.map((m) => m.objectId).sort()).toEqual([...onA].sort());
    expect(moves.every((m) => m.from === 'own-a' && m.to === 'own-d')).toBe(true);
    expect(await ownersOf(onA)).toEqual(onA.map(() => 'own-d'));
    await eventually(
      'the projection to catch up',
      () => service.reassignFrom('own-a', 'test: again'),
      (again) => again.length === 0,
    );
  });
});
