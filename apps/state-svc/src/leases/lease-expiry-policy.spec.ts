import { Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import type { EdgeLifecycle, EdgeView, LeaseExpired } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import { Registry } from 'prom-client';
import type { EdgeLifecyclePort } from './lease-expiry-policy';
import { leaseExpiryPolicy } from './lease-expiry-policy';
import type { Lease, LeaseState } from './lease';
import type { ServiceClock } from '@kailash/service-kit';
import { LeaseMetrics } from './lease.metrics';

const expired = (resource: string): LeaseExpired =>
  ({
    type: 'lease.expired',
    data: {
      resource,
      holder: 'agent-1',
      fencingToken: 4,
      ttlMs: 5000,
      acquiredAt: '2026-11-26T10:00:00.000Z',
      renewedAt: null,
      expiresAt: '2026-11-26T10:00:05.000Z',
      expiredAt: '2026-11-26T10:00:05.100Z',
    },
  }) as LeaseExpired;

/** An edges slice that holds one edge in memory and follows the real lifecycle's refusals. */
class FakeEdges implements EdgeLifecyclePort {
  readonly transitions: { edgeId: string; to: EdgeLifecycle; reason: string; actor: string }[] = [];
  constructor(
    private lifecycle: EdgeLifecycle | undefined,
    private readonly failure?: Error,
  ) {}

  async get(edgeId: string): Promise<EdgeView> {
    if (!this.lifecycle) throw new KailashError('NOT_FOUND', `edge '${edgeId}' does not exist`);
    return { edgeId, lifecycle: this.lifecycle } as EdgeView;
  }

  async transition(edgeId: string, to: EdgeLifecycle, reason: string, actor: string): Promise<EdgeView> {
    if (this.failure) throw this.failure;
    if (this.lifecycle === to) throw new KailashError('INVALID_TRANSITION', `already ${to}`);
    this.transitions.push({ edgeId, to, reason, actor });
    this.lifecycle = to;
    return this.get(edgeId);
  }
}

/** The lease as its stream holds it now: by default still the expired grant (token 4). */
const stillExpired: LeaseState = {
  status: 'expired',
  lease: { fencingToken: 4 } as Lease,
  endedAt: '2026-11-26T10:00:05.100Z',
};

async function run(edges: FakeEdges, resource = 'edge:paris-1', current: LeaseState = stillExpired) {
  const registry = new Registry();
  const metrics = new LeaseMetrics(registry, {} as SqlDatabase, { nowMs: () => 0 } as ServiceClock);
  const leases = { current: async () => current };
  const policy = leaseExpiryPolicy({
    edges,
    leases,
    policy: new Map([['active', 'draining']]),
    metrics,
    logger: new Logger('test'),
  });
  await policy.apply(expired(resource), { query: async () => [] }, { stream: 'S', seq: 1, subject: 's' });
  const counts = (await metrics.policy.get()).values.map((value) => [value.labels['outcome'], value.value]);
  return Object.fromEntries(counts);
}

describe('edge expiry policy', () => {
  it('drains an active edge whose lease expired, naming the lease, holder and token', async () => {
    const edges = new FakeEdges('active');
    expect(await run(edges)).toEqual({ applied: 1 });
    expect(edges.transitions).toEqual([
      {
        edgeId: 'paris-1',
        to: 'draining',
        actor: 'lease-expiry',
        reason: 'lease edge:paris-1 of agent-1 (fencing token 4) expired at 2026-11-26T10:00:05.000Z',
      },
    ]);
  });

  it('leaves an edge alone when the policy has nothing for its lifecycle', async () => {
    const edges = new FakeEdges('warming');
    expect(await run(edges)).toEqual({ 'not-applicable': 1 });
    expect(edges.transitions).toEqual([]);
  });

  it('counts a refused transition (the edge moved on, or a redelivery) as done', async () => {
    const edges = new FakeEdges(
      'active',
      new KailashError('INVALID_TRANSITION', 'draining cannot go to draining'),
    );
    expect(await run(edges)).toEqual({ refused: 1 });
  });

  it('counts an unknown edge as done', async () => {
    expect(await run(new FakeEdges(undefined))).toEqual({ 'edge-not-found': 1 });
  });

  it('rethrows any other failure, so the runner retries and then dead-letters', async () => {
    await expect(run(new FakeEdges('active', new Error('nats down')))).rejects.toThrow('nats down');
  });

  it('leaves the edge alone when the lease was granted again after the expiry (agent re-acquired)', async () => {
    const edges = new FakeEdges('active');
    const regranted: LeaseState = { status: 'held', lease: { fencingToken: 5 } as Lease };
    expect(await run(edges, 'edge:paris-1', regranted)).toEqual({ superseded: 1 });
    expect(edges.transitions).toEqual([]);
  });

  it('ignores leases on resources that are not edges', async () => {
    const edges = new FakeEdges('active');
    expect(await run(edges, 'job:reindex')).toEqual({});
    expect(edges.transitions).toEqual([]);
  });
});
