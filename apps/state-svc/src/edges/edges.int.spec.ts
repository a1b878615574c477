import { GetEdge, KailashError, RegisterEdge } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { StateApp } from '../../test/state-app';
import { authorized, startStateApp } from '../../test/state-app';
import { json } from '../../test/http';

const paris = {
  edgeId: 'paris-1',
  name: 'Paris 1',
  region: 'eu-west',
  location: { lat: 48.8566, lon: 2.3522 },
  capacity: { cpu: 32, memory: 128 },
  zones: ['gdpr' as const],
  tags: { tier: 'gold' },
};

describe('state-svc edges over REST and NATS (real NATS + PostgreSQL)', () => {
  let state: StateApp;
  beforeAll(async () => (state = await startStateApp()), 60_000);
  afterAll(() => state.close());

  const post = (body: unknown, headers: Record<string, string> = authorized) =>
    fetch(`${state.url}/edges`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const getEdge = (id: string) => fetch(`${state.url}/edges/${id}`, { headers: authorized });
  const storedEvents = async () =>
    (await (await jetstreamManager(state.nc)).streams.info(state.subjects.stream('state'))).state.messages;

  it('registers an edge over REST and serves it from the projection', async () => {
    const response = await post(paris);
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe('/edges/paris-1');
    const created = await json(response);
    expect(created).toEqual(
      expect.objectContaining({ edgeId: 'paris-1', lifecycle: 'initialized', version: 1 }),
    );

    const fetched = await eventually(
      'the projected edge',
      async () => (await getEdge('paris-1')).status,
      (s) => s === 200,
    );
    expect(fetched).toBe(200);
    expect(await json(await getEdge('paris-1'))).toEqual(created);
  });

  it('registers and reads over NATS request/reply', async () => {
    const created = await state.client.send(RegisterEdge, {
      ...paris,
      edgeId: 'tokyo-1',
      region: 'ap-northeast',
      location: { lat: 35.68, lon: 139.69 },
    });
    expect(created.edgeId).toBe('tokyo-1');
    const read = await eventually(
      'the edge over NATS',
      () => state.client.send(GetEdge, { edgeId: 'tokyo-1' }).catch((error: KailashError) => error.code),
      (value) => typeof value !== 'string',
    );
    expect(read).toEqual(created);
  });

  it('mints an id when none is given', async () => {
    const { edgeId, ...withoutId } = paris;
    const created = await json(await post({ ...withoutId, name: `no id for ${edgeId}` }));
    expect(created.edgeId).toMatch(/^edge-[0-9a-f-]{36}$/);
  });

  it.each([
    ['location.lat', { ...paris, edgeId: 'bad-1', location: { lat: 91, lon: 0 } }],
    ['location.lon', { ...paris, edgeId: 'bad-2', location: { lat: 0, lon: -181 } }],
    ['colour', { ...paris, edgeId: 'bad-3', colour: 'red' }],
    ['name', { ...paris, edgeId: 'bad-4', name: 42 }],
    ['zones.0', { ...paris, edgeId: 'bad-5', zones: ['mars'] }],
    ['edgeId', { ...paris, edgeId: 'has.dot' }],
  ])('answers 400 naming %s and changes nothing', async (field, body) => {
    const before = await storedEvents();
    const response = await post(body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await storedEvents()).toBe(before);
  });

  it('answers an error reply naming the field over NATS and changes nothing', async () => {
    const before = await storedEvents();
    const subject = state.client.subjectOf(RegisterEdge);
    await expect(
      state.client.sendRaw(subject, {
        data: { ...paris, edgeId: 'bad-nats', location: { lat: 'north', lon: 0 } },
      }),
    ).rejects.toThrow(/location\.lat/);
    await expect(state.client.sendRaw(subject, 'not json')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(state.client.sendRaw(subject, { data: paris, extra: 1 })).rejects.toThrow(
      /extra: unknown field/,
    );
    expect(await storedEvents()).toBe(before);
  });

  it('refuses changes without a valid API key and malformed or oversized bodies', async () => {
    expect((await post({ ...paris, edgeId: 'anon' }, { 'content-type': 'application/json' })).status).toBe(
      401,
    );
    expect(
      (
        await post(
          { ...paris, edgeId: 'anon' },
          { ...authorized, authorization: 'Bearer wrong-key-0123456789' },
        )
      ).status,
    ).toBe(401);
    expect((await post('{"broken', authorized)).status).toBe(400);
    const huge = await post({ ...paris, edgeId: 'huge', tags: { note: 'x'.repeat(20_000) } });
    expect(huge.status).toBe(413);
    expect((await json(huge)).error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('lets exactly one of two racing registrations of one id win; the other gets 409', async () => {
    const racing = await Promise.all([
      post({ ...paris, edgeId: 'race-1' }),
      post({ ...paris, edgeId: 'race-1', name: 'other' }),
    ]);
    expect(racing.map((response) => response.status).sort()).toEqual([201, 409]);
    expect((await post({ ...paris, edgeId: 'race-1' })).status).toBe(409);
  });

  it('answers 404 for an unknown edge', async () => {
    const response = await getEdge('nobody');
    expect(response.status).toBe(404);
    expect((await json(response)).error.code).toBe('NOT_FOUND');
  });

  it('is ready, exposes metrics and serves its OpenAPI document', async () => {
    const ready = await fetch(`${state.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect((await json(ready)).details).toEqual(
      expect.objectContaining({
        nats: expect.objectContaining({ status: 'up' }),
        consumers: expect.objectContaining({ edges: 'active' }),
      }),
    );
    const metrics = await (await fetch(`${state.url}/metrics`)).text();
    expect(metrics).toMatch(
      /kailash_events_published_total\{stream="[A-Z0-9_]+_STATE",type="edge.registered"\} \d+/,
    );
    expect(metrics).toMatch(/process_cpu_user_seconds_total/);
    const docs = await json(await fetch(`${state.url}/docs-json`));
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining(['/edges', '/edges/{edgeId}', '/health/ready']),
    );
  });
});
