import { TransitionEdge } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import type { StateCluster, StateInstance } from '../../test/state-cluster';
import { authorized, startStateCluster, TEST_PRINCIPAL } from '../../test/state-cluster';
import { json } from '../../test/http';

const edge = (
  edgeId: string,
  region: string,
  lat: number,
  lon: number,
  zones: string[],
  extra: object = {},
) => ({
  edgeId,
  name: edgeId,
  region,
  location: { lat, lon },
  zones,
  capacity: { cpu: 8 },
  ...extra,
});

describe('state-svc edge lifecycle and discovery (real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  let state: StateInstance;
  beforeAll(async () => {
    cluster = await startStateCluster();
    state = await cluster.start();
    for (const body of [
      edge('fra-1', 'eu-central', 50.11, 8.68, ['gdpr'], {
        capacity: { cpu: 8, gpu: 2 },
        tags: { tier: 'gold' },
      }),
      edge('par-1', 'eu-west', 48.86, 2.35, ['gdpr', 'public']),
      edge('nyc-1', 'us-east', 40.71, -74.0, ['public', 'hipaa'], { tags: { tier: 'silver' } }),
      edge('sfo-1', 'us-west', 37.77, -122.42, ['ccpa']),
    ]) {
      expect((await post('/edges', body)).status).toBe(201);
    }
    await eventually(
      '4 projected edges',
      async () => (await json(await get('/edges'))).total,
      (n) => n === 4,
    );
  }, 60_000);
  afterAll(() => cluster.close(), 60_000);

  function post(path: string, body: unknown) {
    return fetch(`${state.url}${path}`, { method: 'POST', headers: authorized, body: JSON.stringify(body) });
  }
  function get(path: string) {
    return fetch(`${state.url}${path}`, { headers: authorized });
  }
  const lifecycleOf = async (id: string) => (await json(await get(`/edges/${id}`))).lifecycle;

  it('moves an edge through its lifecycle and records reason and the authenticated caller for each step', async () => {
    for (const to of ['warming', 'active', 'draining', 'active']) {
      const response = await post('/edges/par-1/transitions', { to, reason: `go ${to}` });
      expect(response.status).toBe(200);
      expect((await json(response)).lifecycle).toBe(to);
    }
    const history = await eventually(
      'five history entries',
      async () => json(await get('/edges/par-1/history')),
      (h) => h.transitions.length === 5,
    );
    expect(history.transitions.map((t: { from: string; to: string }) => `${t.from}>${t.to}`)).toEqual([
      'initialized>initialized',
      'initialized>warming',
      'warming>active',
      'active>draining',
      'draining>active',
    ]);
    expect(history.transitions[3]).toEqual(
      expect.objectContaining({ reason: 'go draining', actor: TEST_PRINCIPAL }),
    );
    // Registration too is recorded under the key that asked for it, not the service that stored it.
    expect(history.transitions[0]).toEqual(
      expect.objectContaining({ reason: 'registered', actor: TEST_PRINCIPAL }),
    );
  });

  it('refuses an invalid transition with 409 naming the allowed ones, and changes nothing', async () => {
    await eventually(
      'projected active',
      () => lifecycleOf('par-1'),
      (lifecycle) => lifecycle === 'active',
    );
    const response = await post('/edges/par-1/transitions', { to: 'warming', reason: 'nope' });
    expect(response.status).toBe(409);
    const { error } = await json(response);
    expect(error.code).toBe('INVALID_TRANSITION');
    expect(error.details.allowed).toEqual(['draining', 'terminated']);
    expect(await lifecycleOf('par-1')).toBe('active');
  });

  it('refuses a NUL character before it can reach the stream or wedge the projection', async () => {
    const bad = await post('/edges/nyc-1/transitions', { to: 'warming', reason: 'bad\u0000' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details.issues[0].field).toBe('reason');
    expect((await post('/edges', { ...edge('nul-1', 'eu-west', 1, 1, []), name: 'x\u0000' })).status).toBe(
      400,
    );
    expect((await get('/health/ready')).status).toBe(200);
  });

  it('answers 400 naming the field for a bad transition body, 404 for an unknown edge', async () => {
    const bad = await post('/edges/par-1/transitions', { to: 'flying', reason: 'x' });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error.details.issues[0].field).toBe('to');
    expect((await post('/edges/ghost/transitions', { to: 'warming', reason: 'x' })).status).toBe(404);
    // The actor is the authenticated key's name: a caller cannot claim one, a system actor least of all.
    const claimed = await post('/edges/par-1/transitions', {
      to: 'draining',
      reason: 'x',
      actor: 'lease-expiry',
    });
    expect(claimed.status).toBe(400);
    expect((await json(claimed)).error.details.issues[0].field).toBe('actor');
    const badId = await get('/edges/has.dot');
    expect(badId.status).toBe(400);
    expect((await json(badId)).error.details.issues[0].field).toBe('edgeId');
  });

  it('transitions over NATS too, with the same error codes', async () => {
    const view = await cluster.client.send(TransitionEdge, {
      edgeId: 'nyc-1',
      to: 'warming',
      reason: 'over nats',
    });
    expect(view.lifecycle).toBe('warming');
    await expect(
      cluster.client.send(TransitionEdge, { edgeId: 'nyc-1', to: 'draining', reason: 'skip' }),
    ).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    });
  });

  it('never loses an update when two writers race on one edge', async () => {
    const patch = (body: object) =>
      fetch(`${state.url}/edges/sfo-1`, { method: 'PATCH', headers: authorized, body: JSON.stringify(body) });
    const results = await Promise.all([
      patch({ name: 'San Francisco' }),
      patch({ tags: { tier: 'bronze' } }),
      post('/edges/sfo-1/transitions', { to: 'warming', reason: 'race' }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200]);
    const final = await eventually(
      'all three projected',
      async () => json(await get('/edges/sfo-1')),
      (edge) =>
        edge.version > 0 &&
        edge.lifecycle === 'warming' &&
        edge.name === 'San Francisco' &&
        edge.tags.tier === 'bronze',
    );
    expect(final).toEqual(
      expect.objectContaining({
        name: 'San Francisco',
        tags: { tier: 'bronze' },
        lifecycle: 'warming',
        zones: ['ccpa'],
      }),
    );
  });

  it('updates an edge and deregisters it into terminated, keeping its history', async () => {
    const patched = await fetch(`${state.url}/edges/fra-1`, {
      method: 'PATCH',
      headers: authorized,
      body: JSON.stringify({ name: 'Frankfurt', costPerHour: 0.42 }),
    });
    expect(patched.status).toBe(200);
    expect(await json(patched)).toEqual(
      expect.objectContaining({
        name: 'Frankfurt',
        costPerHour: 0.42,
        zones: ['gdpr'],
        capacity: { cpu: 8, gpu: 2 },
      }),
    );
    const unknownField = await fetch(`${state.url}/edges/fra-1`, {
      method: 'PATCH',
      headers: authorized,
      body: JSON.stringify({ edgeId: 'other' }),
    });
    expect(unknownField.status).toBe(400);
    expect((await post('/edges/fra-1/deregistration', { reason: 'retired' })).status).toBe(200);
    await eventually(
      'projected terminated',
      () => lifecycleOf('fra-1'),
      (lifecycle) => lifecycle === 'terminated',
    );
    expect((await post('/edges/fra-1/transitions', { to: 'active', reason: 'revive' })).status).toBe(409);
  });

  it('discovers by region, zone, capability, tag and lifecycle', async () => {
    const ids = async (query: string) =>
      (await json(await get(`/edges?${query}`))).edges.map((e: { edgeId: string }) => e.edgeId);
    expect(await ids('region=us-east')).toEqual(['nyc-1']);
    expect(await ids('zone=gdpr')).toEqual(['fra-1', 'par-1']);
    expect(await ids('capability=gpu')).toEqual(['fra-1']);
    expect(await ids('tag=tier')).toEqual(['fra-1', 'nyc-1', 'sfo-1']);
    expect(await ids('tag=tier%3Dsilver')).toEqual(['nyc-1']);
    expect(await ids('zone=gdpr&lifecycle=active')).toEqual(['par-1']);
    const pastTheEnd = await json(await get('/edges?zone=gdpr&offset=10'));
    expect(pastTheEnd).toEqual({ edges: [], total: 2 });
  });

  it('finds the k nearest edges to a point, and those within a radius', async () => {
    const near = await json(await get('/edges?near=51.5,-0.12&limit=2'));
    expect(near.edges.map((e: { edgeId: string }) => e.edgeId)).toEqual(['par-1', 'fra-1']);
    expect(near.edges[0].distanceKm).toBeGreaterThan(330);
    expect(near.edges[0].distanceKm).toBeLessThan(350);
    const within = await json(await get('/edges?near=48.86,2.35&radiusKm=500'));
    expect(within.edges.map((e: { edgeId: string }) => e.edgeId)).toEqual(['par-1', 'fra-1']);
  });

  it('refuses bad discovery queries naming the parameter', async () => {
    for (const [query, field] of [
      ['zone=mars', 'zone'],
      ['near=91,0', 'near.lat'],
      ['near=abc', 'near'],
      ['radiusKm=10', 'radiusKm'],
      ['limit=0', 'limit'],
      ['colour=red', 'colour'],
    ]) {
      const response = await get(`/edges?${query}`);
      expect(response.status).toBe(400);
      expect(JSON.stringify((await json(response)).error)).toContain(field);
    }
  });

  it('exposes edges by lifecycle state as a metric', async () => {
    const metrics = await (await get('/metrics')).text();
    expect(metrics).toMatch(/kailash_edges\{lifecycle="terminated"\} [12]/);
    expect(metrics).toMatch(/kailash_edges\{lifecycle="active"\} 1/);
  });
});
