import type { StateCluster, StateInstance } from '../../test/lease-instances';
import { startStateCluster } from '../../test/lease-instances';
import { authorized } from '../../test/state-app';
import { json } from '../../test/http';

// Real servers on 2 shared cores: generous per-test limits (nothing here asserts on speed).
jest.setTimeout(60_000);

/**
 * Lock deadlines on two instances sharing one clock that only the test moves: a lock is live up
 * to the millisecond before its deadline and lapsed from it, whichever instance judges.
 */
describe('state-object locks over time (two instances, real NATS + PostgreSQL, a test clock)', () => {
  let cluster: StateCluster;
  let a: StateInstance;
  let b: StateInstance;
  beforeAll(async () => {
    cluster = await startStateCluster();
    a = await cluster.start();
    b = await cluster.start();
  }, 90_000);
  afterAll(() => cluster.close(), 60_000);

  const call = async (instance: StateInstance, method: string, path: string, body?: unknown) => {
    const response = await fetch(`${instance.url}/state-objects/${path}`, {
      method,
      headers: authorized,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: response.status, body: await json(response) };
  };

  it('keeps a lock live until its deadline and lapses it at the deadline: grants, fenced writes and the view agree', async () => {
    const grant = (await call(a, 'POST', 'clock-1/locks/l', { holder: 'slow', ttlMs: 1000 })).body;
    expect(grant).toMatchObject({
      token: 1,
      expiresAt: new Date(cluster.clock.nowMs() + 1000).toISOString(),
    });

    await cluster.clock.advance(999);
    expect(await call(b, 'POST', 'clock-1/locks/l', { holder: 'fast', ttlMs: 1000 })).toMatchObject({
      status: 409,
      body: { error: { details: { reason: 'held', holder: 'slow', expiresAt: grant.expiresAt } } },
    });
    expect(
      await call(b, 'PUT', 'clock-1/keys/k', { value: 1, fence: { lock: 'l', token: 1 } }),
    ).toMatchObject({
      status: 200,
    });
    expect((await call(a, 'GET', 'clock-1')).body.locks).toEqual([
      { name: 'l', holder: 'slow', expiresAt: grant.expiresAt },
    ]);

    await cluster.clock.advance(1);
    const lapsed = { reason: 'expired', expiresAt: grant.expiresAt };
    expect(
      await call(b, 'PUT', 'clock-1/keys/k', { value: 2, fence: { lock: 'l', token: 1 } }),
    ).toMatchObject({
      status: 409,
      body: { error: { code: 'CONFLICT', details: lapsed } },
    });
    // Releasing a lapsed grant is refused like renewing one: the holder learns it lost the lock.
    expect(await call(a, 'POST', 'clock-1/locks/l/release', { holder: 'slow', token: 1 })).toMatchObject({
      status: 409,
      body: { error: { details: lapsed } },
    });
    expect((await call(b, 'GET', 'clock-1')).body.locks).toEqual([]);
    expect((await call(a, 'GET', 'clock-1/keys/k')).body.value).toBe(1);
  });

  it('hands a lapsed lock to a holder on the other instance with a larger token, and fences the old holder out', async () => {
    const first = (await call(a, 'POST', 'clock-2/locks/l', { holder: 'slow', ttlMs: 100 })).body;
    await cluster.clock.advance(100);
    const second = await call(b, 'POST', 'clock-2/locks/l', { holder: 'fast', ttlMs: 60_000 });
    expect(second.status).toBe(201);
    expect(second.body.token).toBeGreaterThan(first.token);
    const late = await call(a, 'PUT', 'clock-2/keys/a', {
      value: 'from slow',
      fence: { lock: 'l', token: first.token },
    });
    expect(late).toMatchObject({
      status: 409,
      body: { error: { details: { reason: 'stale-token', token: first.token } } },
    });
    expect(
      await call(a, 'POST', 'clock-2/locks/l/release', { holder: 'slow', token: first.token }),
    ).toMatchObject({
      status: 409,
      body: { error: { details: { reason: 'held', holder: 'fast' } } },
    });
    const fenced = { value: 'from fast', fence: { lock: 'l', token: second.body.token } };
    expect((await call(b, 'PUT', 'clock-2/keys/a', fenced)).status).toBe(200);
    expect((await call(a, 'GET', 'clock-2/keys/a')).body.value).toBe('from fast');
  });

  it('gives the holder that locks again a new grant, whose token fences its earlier process off', async () => {
    const first = (await call(a, 'POST', 'clock-3/locks/l', { holder: 'worker', ttlMs: 60_000 })).body;
    await cluster.clock.advance(10);
    const again = await call(b, 'POST', 'clock-3/locks/l', { holder: 'worker', ttlMs: 60_000 });
    expect(again).toMatchObject({ status: 201, body: { holder: 'worker', token: first.token + 1 } });
    expect(
      await call(a, 'PUT', 'clock-3/keys/a', { value: 1, fence: { lock: 'l', token: first.token } }),
    ).toMatchObject({
      status: 409,
      body: { error: { details: { reason: 'stale-token' } } },
    });
    expect(
      (await call(a, 'POST', 'clock-3/locks/l/release', { holder: 'worker', token: again.body.token }))
        .status,
    ).toBe(200);
  });
});
