import { IncrementStateValue, LockStateObject } from '@kailash/contracts';
import type { StateAppPair } from '../../test/state-object-pair';
import { startStateAppPair } from '../../test/state-object-pair';
import { authorized } from '../../test/state-app';
import { json } from '../../test/http';

// Real servers on 2 shared cores: generous per-test limits (nothing here asserts on speed).
jest.setTimeout(60_000);

/**
 * Two state-svc instances on one namespace and one database, racing on the same objects over
 * REST (each instance directly) and NATS (the queue group spreads requests over both).
 */
describe('state objects raced by two instances (real NATS + PostgreSQL)', () => {
  let pair: StateAppPair;
  beforeAll(async () => (pair = await startStateAppPair()), 90_000);
  afterAll(() => pair.close());

  const call = (instance: 0 | 1, method: string, path: string, body: unknown) =>
    fetch(`${pair.urls[instance]}/state-objects/${path}`, {
      method,
      headers: authorized,
      body: JSON.stringify(body),
    });
  const both = <T>(perInstance: number, run: (instance: 0 | 1, i: number) => Promise<T>): Promise<T[]> =>
    Promise.all(Array.from({ length: perInstance * 2 }, (_, i) => run((i % 2) as 0 | 1, i)));

  it('loses no increment: the final value is the number of increments, and each saw a distinct predecessor', async () => {
    const rest = await both(8, (instance) => call(instance, 'POST', 'race-counter/keys/n/increment', {}));
    const nats = await Promise.all(
      Array.from({ length: 8 }, () =>
        pair.client.send(IncrementStateValue, { objectId: 'race-counter', key: 'n' }),
      ),
    );
    expect(rest.map((r) => r.status)).toEqual(Array(16).fill(200));
    const results = [...(await Promise.all(rest.map(json))), ...nats];
    // Linearizable: the increments form one chain 0→1→…→24, none applied to a stale value.
    expect(results.map((r) => r.value).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    expect(results.map((r) => r.version).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 24 }, (_, i) => i + 1),
    );
    for (const instance of [0, 1] as const) {
      const read = await json(
        await fetch(`${pair.urls[instance]}/state-objects/race-counter/keys/n`, { headers: authorized }),
      );
      expect(read).toMatchObject({ value: 24, version: 24 });
    }
  });

  it('lets exactly one compare-and-set win per version; the losers get 412 and the winners chain', async () => {
    expect((await call(0, 'PATCH', 'race-cas', { expectedVersion: 0, values: { round: 0 } })).status).toBe(
      200,
    );
    for (let version = 1; version <= 3; version++) {
      const attempts = await both(5, (instance, i) =>
        call(instance, 'PATCH', 'race-cas', { expectedVersion: version, values: { round: version, by: i } }),
      );
      const statuses = attempts.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 412)).toHaveLength(9);
      const winner = attempts[statuses.indexOf(200)] as Response;
      expect((await json(winner)).version).toBe(version + 1);
    }
    const read = await json(await fetch(`${pair.urls[1]}/state-objects/race-cas`, { headers: authorized }));
    expect(read).toMatchObject({ version: 4, body: { round: 3 } });
  });

  it('never grants a lock to two holders, and fencing tokens strictly increase across grants', async () => {
    const tokens: number[] = [];
    for (let round = 0; round < 4; round++) {
      const rest = both(4, (instance, i) =>
        call(instance, 'POST', 'race-lock/locks/leader', { holder: `rest-${round}-${i}`, ttlMs: 60_000 }),
      );
      const nats = Promise.allSettled(
        Array.from({ length: 4 }, (_, i) =>
          pair.client.send(LockStateObject, {
            objectId: 'race-lock',
            lock: 'leader',
            holder: `nats-${round}-${i}`,
            ttlMs: 60_000,
          }),
        ),
      );
      const [restResults, natsResults] = await Promise.all([rest, nats]);
      const restGrants = await Promise.all(restResults.filter((r) => r.status === 201).map(json));
      const natsGrants = natsResults.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
      const grants = [...restGrants, ...natsGrants];
      expect(grants).toHaveLength(1);
      const grant = grants[0];

      // Every loser was told who holds the lock.
      const refusals = await Promise.all(restResults.filter((r) => r.status !== 201).map(json));
      expect(refusals).toHaveLength(restResults.length - restGrants.length);
      for (const refusal of refusals)
        expect(refusal.error).toMatchObject({ code: 'CONFLICT', details: { holder: grant.holder } });
      for (const r of natsResults)
        if (r.status === 'rejected')
          expect(r.reason).toMatchObject({ code: 'CONFLICT', details: { holder: grant.holder } });

      tokens.push(grant.token);
      const release = await call(round % 2 === 0 ? 1 : 0, 'POST', 'race-lock/locks/leader/release', {
        holder: grant.holder,
        token: grant.token,
      });
      expect(release.status).toBe(200);
    }
    expect(tokens).toEqual([...tokens].sort((a, b) => a - b));
    expect(new Set(tokens).size).toBe(tokens.length);
  });
});
