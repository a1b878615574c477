import type { LeaseView } from '@kailash/contracts';
import {
  AcquireLease,
  GetLease,
  KailashError,
  ReleaseLease,
  RenewLease,
  STATE_DOMAIN,
} from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { StateCluster, StateInstance } from '../../test/lease-instances';
import { startStateCluster, storedEvents } from '../../test/lease-instances';
import { authorized } from '../../test/state-app';
import { json } from '../../test/http';

// Real servers on 2 shared cores: generous per-test limits (nothing here asserts on speed).
jest.setTimeout(60_000);

/** The default sweep interval: advancing the clock by it runs one sweep. */
const SWEEP_INTERVAL_MS = 1000;

describe('state-svc leases over REST and NATS (real NATS + PostgreSQL)', () => {
  let cluster: StateCluster;
  let instance: StateInstance;
  let jsm: JetStreamManager;
  beforeAll(async () => {
    cluster = await startStateCluster();
    instance = await cluster.start();
    jsm = await jetstreamManager(cluster.nc);
  }, 60_000);
  afterAll(() => cluster.close(), 60_000);

  const post = (path: string, body: unknown, headers: Record<string, string> = authorized) =>
    fetch(`${instance.url}${path}`, {
      method: 'POST',
      headers,
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const get = (path: string) => fetch(`${instance.url}${path}`, { headers: authorized });
  const stream = () => cluster.subjects.stream(STATE_DOMAIN);
  const storedCount = async () => (await jsm.streams.info(stream())).state.messages;
  const leaseEvents = (aggregateId = '*') =>
    storedEvents(jsm, stream(), `${cluster.subjects.namespace}.state.evt.lease.${aggregateId}`);
  const projected = (resource: string, done: (lease: LeaseView) => boolean) =>
    eventually(
      `the projected lease on ${resource}`,
      async () => {
        const response = await get(`/leases/${resource}`);
        return response.status === 200 ? ((await json(response)) as LeaseView) : undefined;
      },
      (lease) => lease !== undefined && done(lease),
    ) as Promise<LeaseView>;

  it('acquires, renews and releases a lease over REST; GET serves it from the projection', async () => {
    const acquired = await post('/leases/edge:paris-1/acquire', { holder: 'agent-paris-1', ttlMs: 30_000 });
    expect(acquired.status).toBe(200);
    const grant = await json(acquired);
    expect(grant).toEqual(
      expect.objectContaining({
        resource: 'edge:paris-1',
        status: 'held',
        holder: 'agent-paris-1',
        fencingToken: 1,
        ttlMs: 30_000,
        renewedAt: null,
      }),
    );
    expect(grant.acquiredAt).toBe(cluster.clock.nowIso()); // every time comes from the test's clock
    expect(Date.parse(grant.expiresAt) - Date.parse(grant.acquiredAt)).toBe(30_000);

    const renewed = await post('/leases/edge:paris-1/renew', {
      holder: 'agent-paris-1',
      fencingToken: 1,
      ttlMs: 60_000,
    });
    expect(renewed.status).toBe(200);
    const renewal = await json(renewed);
    expect(renewal).toEqual(expect.objectContaining({ status: 'held', fencingToken: 1, ttlMs: 60_000 }));
    expect(Date.parse(renewal.expiresAt) - Date.parse(renewal.renewedAt)).toBe(60_000);
    expect(await projected('edge:paris-1', (lease) => lease.version === renewal.version)).toEqual(renewal);
    expect(await json(await get('/leases/edge%3Aparis-1'))).toEqual(renewal); // clients may escape the colon

    const released = await post('/leases/edge:paris-1/release', { holder: 'agent-paris-1', fencingToken: 1 });
    expect(released.status).toBe(200);
    expect(await json(released)).toEqual(
      expect.objectContaining({ status: 'released', endedAt: expect.any(String) }),
    );
    expect((await projected('edge:paris-1', (lease) => lease.status === 'released')).fencingToken).toBe(1);
    expect((await leaseEvents('edge_-paris-1')).map((event) => event.type)).toEqual([
      'lease.acquired',
      'lease.renewed',
      'lease.released',
    ]);
  });

  it('answers 409 naming the holder and the deadline when someone else holds the lease, and changes nothing', async () => {
    const grant = await json(
      await post('/leases/build-cache/acquire', { holder: 'ci-runner-1', ttlMs: 60_000 }),
    );
    const before = await storedCount();
    const refused = await post('/leases/build-cache/acquire', { holder: 'ci-runner-2', ttlMs: 60_000 });
    expect(refused.status).toBe(409);
    const { error } = await json(refused);
    expect(error).toEqual({
      code: 'CONFLICT',
      message: `the lease on 'build-cache' is held by 'ci-runner-1' until ${grant.expiresAt}`,
      details: { resource: 'build-cache', reason: 'held', holder: 'ci-runner-1', expiresAt: grant.expiresAt },
    });
    const wrongToken = await post('/leases/build-cache/renew', { holder: 'ci-runner-1', fencingToken: 2 });
    expect(wrongToken.status).toBe(409);
    expect((await json(wrongToken)).error).toEqual({
      code: 'CONFLICT',
      message: "the lease on 'build-cache': fencing token 2 is stale",
      details: { resource: 'build-cache', reason: 'stale-token', token: 2 },
    });
    expect(
      (await post('/leases/build-cache/release', { holder: 'ci-runner-2', fencingToken: 1 })).status,
    ).toBe(409);
    expect(await storedCount()).toBe(before);
  });

  it('gives every new grant a greater fencing token, also after a release and across holders', async () => {
    const tokens: number[] = [];
    for (const holder of ['a', 'b', 'b', 'c']) {
      const grant = await json(await post('/leases/job:reindex/acquire', { holder, ttlMs: 60_000 }));
      tokens.push(grant.fencingToken);
      expect(
        (await post('/leases/job:reindex/release', { holder, fencingToken: grant.fencingToken })).status,
      ).toBe(200);
    }
    expect(tokens).toEqual([1, 2, 3, 4]);
  });

  it('serves acquire, renew, release and get over NATS request/reply', async () => {
    const grant = await cluster.client.send(AcquireLease, {
      resource: 'edge:tokyo-1',
      holder: 'agent-tokyo-1',
      ttlMs: 20_000,
    });
    expect(grant).toEqual(
      expect.objectContaining({ status: 'held', fencingToken: 1, holder: 'agent-tokyo-1' }),
    );
    const renewal = await cluster.client.send(RenewLease, {
      resource: 'edge:tokyo-1',
      holder: 'agent-tokyo-1',
      fencingToken: 1,
    });
    expect(renewal.ttlMs).toBe(20_000);
    expect(Date.parse(renewal.expiresAt)).toBeGreaterThan(Date.parse(grant.expiresAt) - 1);
    await expect(
      cluster.client.send(AcquireLease, { resource: 'edge:tokyo-1', holder: 'intruder', ttlMs: 20_000 }),
    ).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { holder: 'agent-tokyo-1' },
    });
    const read = await eventually(
      'the lease over NATS',
      () =>
        cluster.client
          .send(GetLease, { resource: 'edge:tokyo-1' })
          .catch((error: KailashError) => error.code),
      (value) => typeof value !== 'string' && value.version === renewal.version,
    );
    expect(read).toEqual(renewal);
    const released = await cluster.client.send(ReleaseLease, {
      resource: 'edge:tokyo-1',
      holder: 'agent-tokyo-1',
      fencingToken: 1,
    });
    expect(released.status).toBe('released');
    await expect(cluster.client.send(GetLease, { resource: 'never-leased' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });

  it.each([
    ['colour', '/leases/r1/acquire', { holder: 'h', ttlMs: 5000, colour: 'red' }],
    ['ttlMs', '/leases/r1/acquire', { holder: 'h', ttlMs: '5000' }],
    ['ttlMs', '/leases/r1/acquire', { holder: 'h', ttlMs: 999 }],
    ['ttlMs', '/leases/r1/acquire', { holder: 'h', ttlMs: 3_600_001 }],
    ['holder', '/leases/r1/acquire', { ttlMs: 5000 }],
    ['holder', '/leases/r1/acquire', { holder: 'has space', ttlMs: 5000 }],
    ['fencingToken', '/leases/r1/renew', { holder: 'h', fencingToken: 'one' }],
    ['fencingToken', '/leases/r1/release', { holder: 'h', fencingToken: -1 }],
    ['resource', '/leases/a:b:c/acquire', { holder: 'h', ttlMs: 5000 }],
    ['resource', `/leases/${'x'.repeat(65)}/acquire`, { holder: 'h', ttlMs: 5000 }],
  ])('answers 400 naming %s and changes nothing', async (field, path, body) => {
    const before = await storedCount();
    const response = await post(path, body);
    expect(response.status).toBe(400);
    const { error } = await json(response);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
    expect(await storedCount()).toBe(before);
  });

  it('answers error replies naming the field over NATS and changes nothing', async () => {
    const before = await storedCount();
    const acquire = cluster.client.subjectOf(AcquireLease);
    await expect(
      cluster.client.sendRaw(acquire, { data: { resource: 'r2', holder: 'h', ttlMs: 10 } }),
    ).rejects.toThrow(/ttlMs: /);
    await expect(
      cluster.client.sendRaw(acquire, { data: { resource: 'r2', holder: 'h', ttlMs: 5000, extra: 1 } }),
    ).rejects.toThrow(/extra: unknown field/);
    await expect(
      cluster.client.sendRaw(acquire, { data: { resource: 'r.2', holder: 'h', ttlMs: 5000 } }),
    ).rejects.toThrow(/resource: /);
    await expect(
      cluster.client.sendRaw(cluster.client.subjectOf(RenewLease), {
        data: { resource: 'r2', holder: 'h', fencingToken: 1.5 },
      }),
    ).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ field: 'fencingToken' })] },
    });
    await expect(cluster.client.sendRaw(acquire, 'not json')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect(await storedCount()).toBe(before);
  });

  it('refuses lease changes without a valid API key, and 404s a lease never granted', async () => {
    const anonymous = await post(
      '/leases/r3/acquire',
      { holder: 'h', ttlMs: 5000 },
      { 'content-type': 'application/json' },
    );
    expect(anonymous.status).toBe(401);
    const unknown = await get('/leases/never-granted');
    expect(unknown.status).toBe(404);
    expect((await json(unknown)).error.code).toBe('NOT_FOUND');
  });

  it('expires a lease its holder stopped renewing: one lease.expired, renewal refused, the next grant fenced higher', async () => {
    const grant = await json(
      await post('/leases/job:compaction/acquire', { holder: 'worker-1', ttlMs: 1000 }),
    );
    await projected('job:compaction', (lease) => lease.status === 'held');
    const early = await post('/leases/job:compaction/release', { holder: 'worker-2', fencingToken: 1 });
    expect((await json(early)).error.details).toMatchObject({ reason: 'held', holder: 'worker-1' });
    await cluster.clock.advance(SWEEP_INTERVAL_MS); // the deadline, and a sweep
    const expired = await projected('job:compaction', (lease) => lease.status === 'expired');
    expect(expired).toEqual(
      expect.objectContaining({ holder: 'worker-1', fencingToken: 1, expiresAt: grant.expiresAt }),
    );
    expect(expired.endedAt).toBe(grant.expiresAt); // swept at the very millisecond it came due
    const late = await post('/leases/job:compaction/renew', { holder: 'worker-1', fencingToken: 1 });
    expect(late.status).toBe(409);
    expect((await json(late)).error.message).toMatch(/not held \(expired\)/);
    expect((await leaseEvents('job_-compaction')).map((event) => event.type)).toEqual([
      'lease.acquired',
      'lease.expired',
    ]);
    expect(
      (await json(await post('/leases/job:compaction/acquire', { holder: 'worker-2', ttlMs: 5000 })))
        .fencingToken,
    ).toBe(2);
  });

  it('applies the edge policy when an edge lease expires: the active edge is drained, with reason and actor', async () => {
    const edge = {
      edgeId: 'lyon-1',
      name: 'Lyon 1',
      region: 'eu-west',
      location: { lat: 45.76, lon: 4.84 },
      zones: ['gdpr'],
    };
    expect((await post('/edges', edge)).status).toBe(201);
    for (const to of ['warming', 'active']) {
      expect((await post('/edges/lyon-1/transitions', { to, reason: 'bring-up' })).status).toBe(200);
    }
    await eventually(
      'the projected active edge',
      async () => (await json(await get('/edges/lyon-1'))).lifecycle,
      (lifecycle) => lifecycle === 'active',
    );

    expect((await post('/leases/edge:lyon-1/acquire', { holder: 'agent-lyon-1', ttlMs: 1000 })).status).toBe(
      200,
    );
    await projected('edge:lyon-1', (lease) => lease.status === 'held');
    await cluster.clock.advance(SWEEP_INTERVAL_MS);
    await eventually(
      'the drained edge',
      async () => (await json(await get('/edges/lyon-1'))).lifecycle,
      (lifecycle) => lifecycle === 'draining',
    );
    const history = await eventually(
      'the drain in the history',
      async () => json(await get('/edges/lyon-1/history')),
      (h) => h.transitions.length === 4,
    );
    expect(history.transitions.at(-1)).toEqual(
      expect.objectContaining({
        from: 'active',
        to: 'draining',
        actor: 'lease-expiry',
        reason: expect.stringMatching(/^lease edge:lyon-1 of agent-lyon-1 \(fencing token 1\) expired at /),
      }),
    );
  });

  it('exposes lease metrics and documents the lease endpoints', async () => {
    const metrics = await (await get('/metrics')).text();
    expect(Number(/^kailash_lease_grants_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(9);
    expect(Number(/^kailash_lease_renewals_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(Number(/^kailash_lease_expiries_total (\d+)$/m.exec(metrics)?.[1])).toBeGreaterThanOrEqual(2);
    expect(metrics).toMatch(/^kailash_leases_active \d+$/m);
    expect(metrics).toMatch(/^kailash_lease_expiry_policy_total\{outcome="applied"\} 1$/m);
    const docs = await json(await get('/docs-json'));
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/leases/{resource}/acquire',
        '/leases/{resource}/renew',
        '/leases/{resource}/release',
        '/leases/{resource}',
      ]),
    );
  });
});
