import { gzipSync } from 'node:zlib';
import { ListEdges } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { StateApp } from '../../test/state-app';
import { json } from '../../test/http';
import { authorized, startStateApp, TEST_API_KEY } from '../../test/state-app';

/** Odd HTTP input is a 4xx naming what is wrong, never a 5xx and never silently accepted. */
describe('state-svc: HTTP edge cases are 4xx naming the field', () => {
  let state: StateApp;
  beforeAll(async () => (state = await startStateApp()), 60_000);
  afterAll(() => state.close());

  const bearer = { authorization: `Bearer ${TEST_API_KEY}` };
  const request = (
    method: string,
    path: string,
    init: { headers?: Record<string, string>; body?: string | Buffer } = {},
  ) => fetch(`${state.url}${path}`, { method, headers: { ...bearer, ...init.headers }, body: init.body });
  const storedEvents = async () =>
    (await (await jetstreamManager(state.nc)).streams.info(state.subjects.stream('state'))).state.messages;
  const errorOf = async (response: Response) => (await json(response)).error;
  const fieldsOf = async (response: Response) =>
    ((await errorOf(response)).details?.issues ?? []).map((issue: { field: string }) => issue.field);
  const edge = JSON.stringify({ edgeId: 'h1', name: 'h1', region: 'eu-west', location: { lat: 1, lon: 2 } });

  it.each([
    ['a latin1 charset', { 'content-type': 'application/json; charset=latin1' }],
    ['a br content-encoding', { 'content-type': 'application/json', 'content-encoding': 'br' }],
    ['a text/plain body', { 'content-type': 'text/plain' }],
    ['no content-type', {}],
  ])('answers 415 for %s on a mutating route, storing nothing', async (_, headers) => {
    const before = await storedEvents();
    const response = await request('POST', '/edges', { headers, body: edge });
    expect(response.status).toBe(415);
    expect(await errorOf(response)).toEqual(expect.objectContaining({ code: 'UNSUPPORTED_MEDIA_TYPE' }));
    expect(await storedEvents()).toBe(before);
  });

  it('does not ignore a fence sent in a text/plain body: the DELETE is refused and the key stays', async () => {
    const put = await request('PUT', '/state-objects/fenced/keys/k', {
      headers: authorized,
      body: JSON.stringify({ value: 1 }),
    });
    expect(put.status).toBe(200);
    const fence = JSON.stringify({ fence: { lock: 'l', token: 99 } });
    const response = await request('DELETE', '/state-objects/fenced/keys/k', {
      headers: { 'content-type': 'text/plain' },
      body: fence,
    });
    expect(response.status).toBe(415);
    const kept = await request('GET', '/state-objects/fenced/keys/k');
    expect((await json(kept)).exists).toBe(true);
  });

  it('takes gzip and deflate bodies, counting the limit after inflation', async () => {
    const zipped = await request('POST', '/edges', {
      headers: { ...authorized, 'content-encoding': 'gzip' },
      body: gzipSync(edge),
    });
    expect(zipped.status).toBe(201);
    const bomb = gzipSync(JSON.stringify({ edgeId: 'h2', name: 'x'.repeat(200_000) })); // tiny on the wire, > 16 KiB inflated
    const refused = await request('POST', '/edges', {
      headers: { ...authorized, 'content-encoding': 'gzip' },
      body: bomb,
    });
    expect(refused.status).toBe(413);
  });

  it('answers 400 naming (body) and the position for invalid JSON', async () => {
    const response = await request('POST', '/edges', { headers: authorized, body: '{"edgeId":}' });
    expect(response.status).toBe(400);
    const error = await errorOf(response);
    expect(error.details).toEqual(
      expect.objectContaining({ position: 10, issues: [expect.objectContaining({ field: '(body)' })] }),
    );
    expect(error.message).toContain('position 10');
  });

  it.each(['%ZZ', '%C0%AF', '%ED%A0%80'])(
    'answers 400 naming the parameter for the undecodable path segment %s',
    async (segment) => {
      const edgeRoute = await request('GET', `/edges/${segment}`);
      expect(edgeRoute.status).toBe(400);
      expect(await fieldsOf(edgeRoute)).toEqual(['edgeId']);
      const keyRoute = await request('DELETE', `/state-objects/o/keys/${segment}`);
      expect(keyRoute.status).toBe(400);
      expect(await fieldsOf(keyRoute)).toEqual(['key']);
    },
  );

  it.each([
    '/edges?__proto__=1',
    '/edges?constructor=1',
    '/edges?colour=red',
    '/edges/h1?x=1',
    '/health/live?probe=1',
  ])('answers 400 naming the unknown query parameter of %s', async (path) => {
    const response = await request('GET', path);
    expect(response.status).toBe(400);
    const expected = new URLSearchParams(path.slice(path.indexOf('?') + 1)).keys().next().value;
    expect(await fieldsOf(response)).toEqual([expected]);
  });

  it.each([
    ['near=5e-324,2', 'near.lat'],
    ['near=1,Infinity', 'near.lon'],
    ['near=NaN,1', 'near.lat'],
    ['near=1,2&radiusKm=1e-320', 'radiusKm'],
    ['limit=9007199254740993', 'limit'],
  ])('answers 400 naming the field for the number in %s', async (query, field) => {
    const response = await request('GET', `/edges?${query}`);
    expect(response.status).toBe(400);
    expect(new Set(await fieldsOf(response))).toEqual(new Set([field]));
  });

  it('answers VALIDATION_FAILED over NATS for a subnormal coordinate (not INTERNAL)', async () => {
    await expect(
      state.client.send(ListEdges, { near: { lat: 5e-324, lon: 2 } } as never),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('near.lat'),
    });
  });

  it('orders by distance for a point a hair from a stored edge (no PostgreSQL underflow)', async () => {
    const origin = JSON.stringify({
      edgeId: 'origin',
      name: 'origin',
      region: 'eu-west',
      location: { lat: 0, lon: 0 },
    });
    expect((await request('POST', '/edges', { headers: authorized, body: origin })).status).toBe(201);
    await eventually(
      'the edge projected',
      async () => (await request('GET', '/edges/origin')).status,
      (status) => status === 200,
    );
    const near = await request('GET', '/edges?near=1e-200,0&limit=1');
    expect(near.status).toBe(200);
    expect((await json(near)).edges[0]).toEqual(expect.objectContaining({ edgeId: 'origin', distanceKm: 0 }));
  });

  it('refuses an increment by an unsafe integer, and one whose result would pass 2^53', async () => {
    const increment = (key: string, body: string) =>
      request('POST', `/state-objects/big/keys/${key}/increment`, { headers: authorized, body });
    const unsafe = await increment('n', '{"by":9007199254740993}');
    expect(unsafe.status).toBe(400);
    expect(await fieldsOf(unsafe)).toEqual(['by']);
    expect((await increment('m', `{"by":${Number.MAX_SAFE_INTEGER}}`)).status).toBe(200);
    const past = await increment('m', '{"by":1}');
    expect(past.status).toBe(409);
    const value = await json(await request('GET', '/state-objects/big/keys/m'));
    expect(value.value).toBe(Number.MAX_SAFE_INTEGER);
  });
});
