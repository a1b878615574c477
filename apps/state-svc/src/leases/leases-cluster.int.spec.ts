import { eventually } from '@kailash/testing';
import type { StateCluster, StateInstance } from '../../test/state-cluster';
import { authorized, startStateCluster, sweepLeases } from '../../test/state-cluster';
import { json } from '../../test/http';

// Time moves only when a test advances the cluster's clock; each advance of a sweep interval
// runs one sweep on every instance and resolves once they finished.
const SWEEP_INTERVAL_MS = 1000;
const SWEEP_EVERY_SECOND = { env: { LEASE_SWEEP_INTERVAL_MS: String(SWEEP_INTERVAL_MS) } };

const post = (instance: StateInstance, path: string, body: unknown) =>
  fetch(`${instance.url}${path}`, { method: 'POST', headers: authorized, body: JSON.stringify(body) });
const get = (instance: StateInstance, path: string) =>
  fetch(`${instance.url}${path}`, { headers: authorized });

const leaseEventsOf = (cluster: StateCluster) => cluster.storedEvents({ aggregateType: 'lease' });
const expiriesOf = async (cluster: StateCluster, resource: string) =>
  (await leaseEventsOf(cluster)).filter(
    (event) => event.type === 'lease.expired' && event.data['resource'] === resource,
  );

async function activeEdge(instance: StateInstance, edgeId: string): Promise<void> {
  const edge = { edgeId, name: edgeId, region: 'eu-north', location: { lat: 59.91, lon: 10.75 } };
  expect((await post(instance, '/edges', edge)).status).toBe(201);
  for (const to of ['warming', 'active']) {
    expect((await post(instance, `/edges/${edgeId}/transitions`, { to, reason: 'bring-up' })).status).toBe(
      200,
    );
  }
  await eventually(
    `${edgeId} projected active`,
    async () => (await json(await get(instance, `/edges/${edgeId}`))).lifecycle,
    (l) => l === 'active',
  );
}

async function lifecycleChangesBy(instance: StateInstance, edgeId: string, actor: string) {
  const history = await json(await get(instance, `/edges/${edgeId}/history`));
  return (history.transitions as { actor: string; from: string; to: string }[]).filter(
    (transition) => transition.actor === actor,
  );
}

const counter = async (instance: StateInstance, name: string) =>
  Number(
    new RegExp(`^${name} (\\d+)$`, 'm').exec(await (await get(instance, '/metrics')).text())?.[1] ?? NaN,
  );

describe('leases on two state-svc instances sharing one namespace and database', () => {
  let cluster: StateCluster;
  let a: StateInstance;
  let b: StateInstance;
  beforeAll(async () => {
    cluster = await startStateCluster();
    a = await cluster.start(SWEEP_EVERY_SECOND);
    b = await cluster.start(SWEEP_EVERY_SECOND);
  }, 90_000);
  afterAll(() => cluster.close(), 60_000);

  it('grants a contended lease to exactly one of several racing acquirers, with strictly increasing fencing tokens', async () => {
    const rounds = 8;
    const winners: number[] = [];
    for (let round = 1; round <= rounds; round++) {
      const contenders = [a, b, a, b, a, b].map((instance, i) => ({
        instance,
        holder: `${instance.instanceId}-c${i}-r${round}`,
      }));
      const responses = await Promise.all(
        contenders.map(({ instance, holder }) =>
          post(instance, '/leases/lock:race/acquire', { holder, ttlMs: 60_000 }),
        ),
      );
      const statuses = responses.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(1);
      expect(statuses.filter((status) => status === 409)).toHaveLength(contenders.length - 1);
      const winner = await json(responses[statuses.indexOf(200)] as Response);
      for (const loser of responses.filter((response) => response.status === 409)) {
        expect((await json(loser)).error.details).toEqual({
          resource: 'lock:race',
          reason: 'held',
          holder: winner.holder,
          expiresAt: winner.expiresAt,
        });
      }
      winners.push(winner.fencingToken);
      expect(
        (
          await post(b, '/leases/lock:race/release', {
            holder: winner.holder,
            fencingToken: winner.fencingToken,
          })
        ).status,
      ).toBe(200);
    }
    for (let i = 1; i < winners.length; i++) expect(winners[i]).toBeGreaterThan(winners[i - 1] as number);
    const grants = (await leaseEventsOf(cluster)).filter(
      (event) => event.type === 'lease.acquired' && event.data['resource'] === 'lock:race',
    );
    expect(grants.map((event) => event.data['fencingToken'])).toEqual(winners);
  }, 60_000);

  it('never expires a lease its holder keeps renewing, through either instance, past its first deadline', async () => {
    const grant = await json(
      await post(a, '/leases/job:keepalive/acquire', { holder: 'agent-k', ttlMs: 3000 }),
    );
    const firstDeadline = Date.parse(grant.expiresAt);
    // One renewal per second of cluster time, each followed by a sweep on both instances. A sweep
    // that reads a deadline the projection has not moved yet sends an expiry the decider refuses.
    for (let second = 1; cluster.clock.nowMs() < firstDeadline + 3000; second++) {
      await cluster.clock.advance(SWEEP_INTERVAL_MS);
      const renewal = await post(second % 2 ? a : b, '/leases/job:keepalive/renew', {
        holder: 'agent-k',
        fencingToken: 1,
      });
      expect(renewal.status).toBe(200);
      expect(Date.parse((await json(renewal)).expiresAt)).toBe(cluster.clock.nowMs() + 3000);
      expect(await sweepLeases(a)).toBe(0);
    }
    expect(await expiriesOf(cluster, 'job:keepalive')).toEqual([]);
    // b's projection may lag the writes a made; it must catch up to a held lease, never an expired one.
    const lease = await eventually(
      "b's projected lease",
      async () => await json(await get(b, '/leases/job:keepalive')),
      (projected) => projected.status !== undefined,
    );
    expect(lease).toEqual(expect.objectContaining({ status: 'held', fencingToken: 1 }));
    expect(
      (await post(a, '/leases/job:keepalive/release', { holder: 'agent-k', fencingToken: 1 })).status,
    ).toBe(200);
  }, 60_000);

  it('expires each lease exactly once while both instances sweep, and applies the edge policy once', async () => {
    const expiriesCounted = async () =>
      (await counter(a, 'kailash_lease_expiries_total')) + (await counter(b, 'kailash_lease_expiries_total'));
    const countedBefore = await expiriesCounted();
    await activeEdge(a, 'oslo-1');
    const resources = ['edge:oslo-1', ...Array.from({ length: 9 }, (_, i) => `job:sweep-${i}`)];
    for (const [i, resource] of resources.entries()) {
      expect(
        (await post(i % 2 ? a : b, `/leases/${resource}/acquire`, { holder: `worker-${i}`, ttlMs: 1000 }))
          .status,
      ).toBe(200);
    }
    for (const resource of resources) {
      await eventually(
        `${resource} projected held`,
        async () => (await json(await get(a, `/leases/${resource}`))).status,
        (s) => s === 'held',
      );
    }
    // Every lease comes due at once, and both instances sweep concurrently.
    await cluster.clock.advance(SWEEP_INTERVAL_MS);
    for (const resource of resources) expect(await expiriesOf(cluster, resource)).toHaveLength(1);
    await eventually(
      'oslo-1 drained',
      async () => (await json(await get(b, '/edges/oslo-1'))).lifecycle,
      (l) => l === 'draining',
    );
    // More sweeps on both instances, also while the projection may still show the leases held:
    // room for a double expiry to show up, and none may.
    for (let sweep = 0; sweep < 5; sweep++) await cluster.clock.advance(SWEEP_INTERVAL_MS);
    expect((await Promise.all([sweepLeases(a), sweepLeases(b)])).reduce((x, y) => x + y)).toBe(0);

    for (const resource of resources) expect(await expiriesOf(cluster, resource)).toHaveLength(1);
    expect(await lifecycleChangesBy(a, 'oslo-1', 'lease-expiry')).toEqual([
      expect.objectContaining({ from: 'active', to: 'draining' }),
    ]);
    // Each instance counts the expiries it published; together they published each one once.
    expect((await expiriesCounted()) - countedBefore).toBe(resources.length);
  }, 60_000);
});

describe('lease expiry across a restart', () => {
  let cluster: StateCluster;
  beforeAll(async () => (cluster = await startStateCluster()), 60_000);
  afterAll(() => cluster.close(), 60_000);

  it('expires a lease that ran out while no instance was up, exactly once, and drains its edge', async () => {
    const first = await cluster.start(SWEEP_EVERY_SECOND);
    await activeEdge(first, 'bergen-1');
    const grant = await json(
      await post(first, '/leases/edge:bergen-1/acquire', { holder: 'agent-bergen-1', ttlMs: 5000 }),
    );
    await eventually(
      'the projected lease',
      async () => (await get(first, '/leases/edge:bergen-1')).status,
      (s) => s === 200,
    );
    await first.stop();
    expect(cluster.clock.scheduled).toBe(0); // its sweeper stopped with it

    await cluster.clock.advance(Date.parse(grant.expiresAt) - cluster.clock.nowMs() + 1000);
    expect(await expiriesOf(cluster, 'edge:bergen-1')).toEqual([]); // nobody was up to notice

    const second = await cluster.start(SWEEP_EVERY_SECOND);
    await cluster.clock.advance(SWEEP_INTERVAL_MS); // its first sweep
    const expiries = await expiriesOf(cluster, 'edge:bergen-1');
    expect(expiries).toHaveLength(1);
    expect(expiries[0]?.data).toEqual(
      expect.objectContaining({ holder: 'agent-bergen-1', fencingToken: 1, expiresAt: grant.expiresAt }),
    );
    await eventually(
      'bergen-1 drained',
      async () => (await json(await get(second, '/edges/bergen-1'))).lifecycle,
      (l) => l === 'draining',
    );
    for (let sweep = 0; sweep < 3; sweep++) await cluster.clock.advance(SWEEP_INTERVAL_MS);
    expect(await expiriesOf(cluster, 'edge:bergen-1')).toHaveLength(1);
    expect(await lifecycleChangesBy(second, 'bergen-1', 'lease-expiry')).toEqual([
      expect.objectContaining({ from: 'active', to: 'draining' }),
    ]);
    await eventually(
      'the projected expiry',
      async () => (await json(await get(second, '/leases/edge:bergen-1'))).status,
      (s) => s === 'expired',
    );
  }, 60_000);
});
