import { KailashError, PlaceWorkload, TransitionEdge } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import type { StateCluster, StateInstance } from '../../test/state-cluster';
import { authorized, startStateCluster } from '../../test/state-cluster';
import { json } from '../../test/http';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const gdprNearParis = {
  client: PARIS,
  compliance: { classifications: ['pii'], subjectCountry: 'FR' },
  strategy: 'latency_optimal',
};

const edge = (
  edgeId: string,
  location: { lat: number; lon: number },
  zones: string[],
  extra: object = {},
) => ({
  edgeId,
  name: edgeId,
  region: 'eu-west',
  location,
  zones,
  capacity: { cpu: 16, memory: 64 },
  ...extra,
});

describe('state-svc placement over REST and NATS (real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  let state: StateInstance;

  const post = (path: string, body: unknown, headers: Record<string, string> = authorized) =>
    fetch(`${state.url}${path}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const placeOverRest = async (body: unknown) => {
    const response = await post('/placement', body);
    expect(response.status).toBe(200);
    return json(response);
  };
  const edgeIds = (result: { candidates: { edgeId: string }[] }) =>
    result.candidates.map((candidate) => candidate.edgeId);
  async function activate(edgeId: string, to: readonly string[] = ['warming', 'active']) {
    for (const next of to)
      expect(
        (await post(`/edges/${edgeId}/transitions`, { to: next, reason: 'placement test' })).status,
      ).toBe(200);
  }

  beforeAll(async () => {
    cluster = await startStateCluster();
    state = await cluster.start();
    const fleet = [
      edge('paris-public', PARIS, ['public'], { costPerHour: 0.2 }),
      edge('paris-gdpr-draining', { lat: 48.86, lon: 2.34 }, ['gdpr']),
      edge('frankfurt-gdpr', { lat: 50.1109, lon: 8.6821 }, ['gdpr', 'public'], {
        costPerHour: 2,
        dataSets: ['orders'],
      }),
      edge('newyork-hipaa', { lat: 40.7128, lon: -74.006 }, ['hipaa'], { region: 'us-east' }),
      edge('lyon-initialized', { lat: 45.764, lon: 4.8357 }, ['gdpr']),
    ];
    for (const body of fleet) expect((await post('/edges', body)).status).toBe(201);
    await activate('paris-public');
    await activate('frankfurt-gdpr');
    await activate('newyork-hipaa');
    await activate('paris-gdpr-draining', ['warming', 'active', 'draining']);
  }, 60_000);
  afterAll(() => cluster.close(), 60_000);

  it('places French personal data on a gdpr edge only, even when a non-gdpr edge is closer and cheaper', async () => {
    const result = await eventually(
      'the fleet view projected',
      () => placeOverRest(gdprNearParis),
      (r) => r.filtered.draining === 1 && r.filtered.compliance === 2,
    );
    expect(edgeIds(result)).toEqual(['frankfurt-gdpr']);
    expect(result.requiredZones).toEqual(['gdpr']);
    expect(result.filtered).toEqual({
      inactive: 1,
      draining: 1,
      compliance: 2,
      capacity: 0,
      latency_budget: 0,
      cost: 0,
    });
    const [top] = result.candidates;
    expect(top.distanceKm).toBeGreaterThan(470);
    expect(top.estimatedRttMs).toBeCloseTo((2 * 1.3 * top.distanceKm) / 200 + 2, 1);
    expect(top.explanation).toMatch(
      /^frankfurt-gdpr \(eu-west\): 47\d km from the client .*holds the required zones gdpr/,
    );
    for (const strategy of ['cost_optimal', 'balanced', 'compliance_first', 'data_locality']) {
      expect(edgeIds(await placeOverRest({ ...gdprNearParis, strategy }))).toEqual(['frankfurt-gdpr']);
    }
  });

  it('without compliance needs the closer edge ranks first; scores are 0–100 per factor', async () => {
    const result = await placeOverRest({ client: PARIS, strategy: 'latency_optimal', maxResults: 3 });
    expect(edgeIds(result)).toEqual(['paris-public', 'frankfurt-gdpr', 'newyork-hipaa']);
    for (const candidate of result.candidates) {
      for (const value of [candidate.score, ...Object.values(candidate.scores)]) {
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(100);
      }
    }
  });

  it('discovers edges within a radius from the fleet index: the same edges and distances as near= alone over SQL', async () => {
    const get = async (query: string) => {
      const response = await fetch(`${state.url}/edges?${query}`, { headers: authorized });
      expect(response.status).toBe(200);
      return json(response);
    };
    const everyEdge = await eventually(
      'every transition projected',
      () => get(`near=${PARIS.lat},${PARIS.lon}`),
      (found) =>
        found.edges.filter((e: { lifecycle: string }) => ['active', 'draining'].includes(e.lifecycle))
          .length === 4,
    );
    for (const radiusKm of [1, 400, 700, 7_000]) {
      const expected = everyEdge.edges.filter(
        (found: { distanceKm: number }) => found.distanceKm <= radiusKm,
      );
      const within = await get(`near=${PARIS.lat},${PARIS.lon}&radiusKm=${radiusKm}`);
      expect(within).toEqual({ edges: expected, total: expected.length });
    }
  });

  it('answers the same over NATS request/reply', async () => {
    const result = await cluster.client.send(PlaceWorkload, gdprNearParis as never);
    expect(edgeIds(result)).toEqual(['frankfurt-gdpr']);
    expect(result.fleetPosition).toBeGreaterThan(0);
  });

  it('sees fleet changes: a new gdpr edge in Paris wins once active, and drops out when it drains', async () => {
    expect((await post('/edges', edge('paris-gdpr-new', { lat: 48.85, lon: 2.36 }, ['gdpr']))).status).toBe(
      201,
    );
    await activate('paris-gdpr-new');
    const withNew = await eventually(
      'the new edge placed',
      () => placeOverRest(gdprNearParis),
      (r) => edgeIds(r)[0] === 'paris-gdpr-new',
    );
    expect(edgeIds(withNew)).toEqual(['paris-gdpr-new', 'frankfurt-gdpr']);
    await activate('paris-gdpr-new', ['draining']);
    const drained = await eventually(
      'the drained edge gone',
      () => placeOverRest(gdprNearParis),
      (r) => r.filtered.draining === 2,
    );
    expect(edgeIds(drained)).toEqual(['frankfurt-gdpr']);
  });

  describe('read-your-writes (kailash-min-sequence)', () => {
    const transition = async (edgeId: string, to: string) => {
      const response = await post(`/edges/${edgeId}/transitions`, { to, reason: 'read-your-writes test' });
      expect(response.status).toBe(200);
      const sequence = response.headers.get('kailash-sequence');
      expect(sequence).toMatch(/^[1-9]\d*$/);
      return sequence as string;
    };
    const placeAfter = async (sequence: string) => {
      const response = await post('/placement', gdprNearParis, {
        ...authorized,
        'kailash-min-sequence': sequence,
      });
      expect(response.status).toBe(200);
      return json(response);
    };

    it('applies an acknowledged transition before a placement that asks for it, on the first try', async () => {
      for (const round of [1, 2, 3]) {
        const edgeId = `paris-ryw-${round}`;
        expect((await post('/edges', edge(edgeId, { lat: 48.853, lon: 2.349 }, ['gdpr']))).status).toBe(201);
        await transition(edgeId, 'warming');
        expect(edgeIds(await placeAfter(await transition(edgeId, 'active')))[0]).toBe(edgeId);
        expect(edgeIds(await placeAfter(await transition(edgeId, 'draining')))).not.toContain(edgeId);
      }
    });

    it('over NATS too: a placement naming the sequence of a transition reply sees the transition', async () => {
      expect(
        (await post('/edges', edge('paris-ryw-nats', { lat: 48.852, lon: 2.348 }, ['gdpr']))).status,
      ).toBe(201);
      const client = cluster.client;
      await client.send(TransitionEdge, {
        edgeId: 'paris-ryw-nats',
        to: 'warming',
        reason: 'read-your-writes test',
      });
      const active = await client.ask(TransitionEdge, {
        edgeId: 'paris-ryw-nats',
        to: 'active',
        reason: 'read-your-writes test',
      });
      expect(active.sequence).toEqual(expect.any(Number));
      const placed = await client.send(PlaceWorkload, gdprNearParis as never, {
        minSequence: active.sequence as number,
      });
      expect(edgeIds(placed)[0]).toBe('paris-ryw-nats');
      const drained = await client.ask(TransitionEdge, {
        edgeId: 'paris-ryw-nats',
        to: 'draining',
        reason: 'read-your-writes test',
      });
      const after = await client.send(PlaceWorkload, gdprNearParis as never, {
        minSequence: drained.sequence as number,
      });
      expect(edgeIds(after)).not.toContain('paris-ryw-nats');
    });

    it('answers GET /edges/:id and its history with the write the caller names, on the first try', async () => {
      const registered = await post('/edges', edge('paris-ryw-get', { lat: 48.85, lon: 2.35 }, ['gdpr']));
      expect(registered.status).toBe(201);
      const read = (path: string, sequence: string) =>
        fetch(`${state.url}${path}`, { headers: { ...authorized, 'kailash-min-sequence': sequence } });
      const afterRegister = await read(
        '/edges/paris-ryw-get',
        registered.headers.get('kailash-sequence') ?? '',
      );
      expect(afterRegister.status).toBe(200);
      const sequence = await transition('paris-ryw-get', 'warming');
      expect((await json(await read('/edges/paris-ryw-get', sequence))).lifecycle).toBe('warming');
      const history = await json(await read('/edges/paris-ryw-get/history', sequence));
      expect(history.transitions.map((t: { to: string }) => t.to)).toContain('warming');
    });

    it('refuses a malformed minimum sequence naming the header', async () => {
      const response = await post('/placement', gdprNearParis, {
        ...authorized,
        'kailash-min-sequence': 'soon',
      });
      expect(response.status).toBe(400);
      expect((await json(response)).error.details.issues[0].field).toBe('kailash-min-sequence');
    });
  });

  it.each([
    ['strategy', { ...gdprNearParis, strategy: 'fastest' }],
    ['client.lat', { client: { lat: 91, lon: 0 } }],
    ['client.lon', { client: { lat: 0, lon: -180.5 } }],
    ['colour', { client: PARIS, colour: 'red' }],
    ['maxResults', { client: PARIS, maxResults: 'five' }],
    ['latencyBudgetMs', { client: PARIS, latencyBudgetMs: -1 }],
    ['compliance.classifications.0', { client: PARIS, compliance: { classifications: ['secret-ish'] } }],
    ['compliance.subjectCountry', { client: PARIS, compliance: { subjectCountry: 'France' } }],
    ['resources.cpus', { client: PARIS, resources: { cpus: 2 } }],
    ['weights.speed', { client: PARIS, weights: { speed: 1 } }],
    ['weights.cost', { client: PARIS, weights: { cost: -1 } }],
    [
      'weights',
      { client: PARIS, strategy: 'data_locality', weights: { geographic: 0, dataLocality: 0, load: 0 } },
    ],
    ['client', {}],
  ])('answers 400 naming %s', async (field, body) => {
    const response = await post('/placement', body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
  });

  it('answers an error reply naming the field over NATS', async () => {
    const subject = cluster.client.subjectOf(PlaceWorkload);
    await expect(
      cluster.client.sendRaw(subject, { data: { client: PARIS, strategy: 'fastest' } }),
    ).rejects.toThrow(/strategy/);
    await expect(
      cluster.client.sendRaw(subject, { data: { client: { lat: 'north', lon: 0 } } }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const error = await cluster.client
      .sendRaw(subject, { data: { client: PARIS, extra: 1 } })
      .catch((caught: KailashError) => caught);
    expect(String((error as KailashError).message)).toMatch(/extra: unknown field/);
  });

  it('needs the API key, records the latency histogram and documents the route', async () => {
    expect((await post('/placement', { client: PARIS }, { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    const metrics = await (await fetch(`${state.url}/metrics`)).text();
    expect(metrics).toMatch(/kailash_placement_seconds_count\{strategy="latency_optimal"\} [1-9]\d*/);
    expect(metrics).toMatch(/kailash_placement_seconds_bucket\{le="0.002",strategy="latency_optimal"\}/);
    // Every edge change of this file was applied in place: no rebuild of the fleet index after boot.
    expect(metrics).toMatch(/^kailash_placement_fleet_rebuilds_total 0$/m);
    const docs = await json(await fetch(`${state.url}/docs-json`));
    expect(Object.keys(docs.paths)).toContain('/placement');
  });
});
