import { RegisterEdge } from '@kailash/contracts';
import { eventually, testPostgresUrl } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { Client } from 'pg';
import type { StateApp } from '../../test/state-app';
import { json } from '../../test/http';
import { authorized, startStateApp } from '../../test/state-app';

const edge = (edgeId: string, extra: Record<string, unknown> = {}) => ({
  edgeId,
  name: edgeId,
  region: 'eu-west',
  location: { lat: 48.85, lon: 2.35 },
  ...extra,
});

/** Nothing is accepted that a projection cannot store, and a projection that cannot advance says so. */
describe('state-svc: input it cannot store, and a projection that cannot advance', () => {
  let state: StateApp;
  beforeAll(async () => (state = await startStateApp({ PROJECTION_STALL_MS: '500' })), 60_000);
  afterAll(() => state.close());

  const send = (method: string, path: string, body: string) =>
    fetch(`${state.url}${path}`, { method, headers: authorized, body });
  const storedEvents = async () =>
    (await (await jetstreamManager(state.nc)).streams.info(state.subjects.stream('state'))).state.messages;
  const loneSurrogate = '"\\ud800"'; // JSON text: JSON.parse turns it into a lone UTF-16 surrogate

  it.each([
    [
      'POST /edges',
      'POST',
      '/edges',
      `{"edgeId":"u1","name":"u","region":"eu-west","location":{"lat":1,"lon":2},"tags":{"k":${loneSurrogate}}}`,
      'tags.k',
    ],
    [
      'PUT a state-object value',
      'PUT',
      '/state-objects/o1/keys/k',
      `{"value":{"nested":[${loneSurrogate}]}}`,
      'value.nested.0',
    ],
    [
      'a lock holder',
      'POST',
      '/state-objects/o1/locks/l',
      `{"holder":${loneSurrogate},"ttlMs":1000}`,
      'holder',
    ],
  ])(
    'refuses a lone surrogate on %s with 400 naming the field, storing nothing',
    async (_, method, path, body, field) => {
      const before = await storedEvents();
      const response = await send(method, path, body);
      expect(response.status).toBe(400);
      expect((await json(response)).error).toEqual(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          details: { issues: [expect.objectContaining({ field })] },
        }),
      );
      expect(await storedEvents()).toBe(before);
    },
  );

  it('refuses a lone surrogate on PATCH /edges and NATS cmd.edge.register', async () => {
    expect((await send('POST', '/edges', JSON.stringify(edge('u2')))).status).toBe(201);
    const patched = await send('PATCH', '/edges/u2', `{"tags":{"k":${loneSurrogate}}}`);
    expect(patched.status).toBe(400);
    expect((await json(patched)).error.details.issues[0].field).toBe('tags.k');
    await expect(
      state.client.send(RegisterEdge, edge('u3', { tags: { k: '\ud800' } }) as never),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringContaining('tags.k'),
    });
  });

  it('turns /health/ready to 503 naming the projection and the sequence it cannot pass, and back when it advances', async () => {
    expect((await fetch(`${state.url}/health/ready`)).status).toBe(200);
    const admin = new Client({ connectionString: testPostgresUrl(state.databaseName) });
    await admin.connect();
    try {
      // A store that refuses every edge row (what a full disk or a broken constraint does).
      await admin.query(
        `CREATE FUNCTION refuse_edges() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'edges refused'; END $$`,
      );
      await admin.query(
        'CREATE TRIGGER refuse_edges BEFORE INSERT OR UPDATE ON edges FOR EACH ROW EXECUTE FUNCTION refuse_edges()',
      );
      const accepted = await send('POST', '/edges', JSON.stringify(edge('wedged-1')));
      expect(accepted.status).toBe(201);
      const seq = (await json(accepted)).version;
      const report = await eventually(
        'readiness reporting the stall',
        async () => {
          const response = await fetch(`${state.url}/health/ready`);
          return { status: response.status, body: await json(response) };
        },
        (ready) => ready.status === 503,
      );
      expect(report.body.error.consumers).toEqual(
        expect.objectContaining({
          status: 'down',
          message: `projection stalled: edges at stream sequence ${seq}`,
          stalled: [
            expect.objectContaining({
              projection: 'edges',
              seq,
              cause: expect.stringContaining('edges refused'),
            }),
          ],
        }),
      );
      const metrics = await (await fetch(`${state.url}/metrics`)).text();
      expect(metrics).toMatch(/kailash_projection_stalled\{projection="edges"\} 1/);
      expect(metrics).toMatch(/kailash_projection_stalled\{projection="leases"\} 0/);

      await admin.query('DROP TRIGGER refuse_edges ON edges');
      await eventually(
        'the edge projected',
        async () => (await fetch(`${state.url}/edges/wedged-1`, { headers: authorized })).status,
        (status) => status === 200,
      );
      expect((await fetch(`${state.url}/health/ready`)).status).toBe(200);
    } finally {
      await admin.end();
    }
  });
});
