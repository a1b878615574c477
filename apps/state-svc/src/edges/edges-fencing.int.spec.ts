import { AcquireLease, RegisterEdge, TransitionEdge } from '@kailash/contracts';
import type { StateCluster } from '../../test/state-cluster';
import { authorized, startStateCluster } from '../../test/state-cluster';

const TTL_MS = 5_000;

/**
 * An edge agent's lifecycle writes carry its lease's fencing token: they go through only while
 * that grant of `edge:<edgeId>` is live, so an agent paused while its lease moved on is refused.
 */
describe('state-svc fenced edge transitions (real NATS + PostgreSQL, test clock)', () => {
  let cluster: StateCluster;
  beforeAll(async () => {
    cluster = await startStateCluster();
    await cluster.start();
    await cluster.client.send(RegisterEdge, {
      edgeId: 'fenced-1',
      name: 'fenced-1',
      region: 'eu-west',
      location: { lat: 48.8, lon: 2.3 },
    });
  }, 60_000);
  afterAll(() => cluster.close(), 60_000);

  const acquire = (holder: string) =>
    cluster.client.send(AcquireLease, { resource: 'edge:fenced-1', holder, ttlMs: TTL_MS });
  const transition = (to: 'warming' | 'active' | 'draining', fencingToken?: number) =>
    cluster.client.send(TransitionEdge, {
      edgeId: 'fenced-1',
      to,
      reason: `to ${to}`,
      ...(fencingToken === undefined ? {} : { fencingToken }),
    });

  it('takes a transition with the live token, refuses one with an older token, and one past the deadline', async () => {
    const first = await acquire('agent-a');
    expect((await transition('warming', first.fencingToken)).lifecycle).toBe('warming');

    const second = await acquire('agent-a'); // a new grant: the old token is fenced off at once
    await expect(transition('active', first.fencingToken)).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'stale-token', resource: 'edge:fenced-1', token: first.fencingToken },
    });
    expect((await transition('active', second.fencingToken)).lifecycle).toBe('active');

    // Past the deadline: refused whether or not a sweep has recorded the expiry yet.
    await cluster.clock.advance(TTL_MS + 1);
    await expect(transition('draining', second.fencingToken)).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: expect.stringMatching(/^(expired|not-held)$/) },
    });
  });

  it('names the field when the token is not a positive integer, over REST too', async () => {
    const response = await fetch(`${cluster.instances[0]?.url}/edges/fenced-1/transitions`, {
      method: 'POST',
      headers: authorized,
      body: JSON.stringify({ to: 'draining', reason: 'x', fencingToken: 0 }),
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(await response.json())).toContain('fencingToken');
  });

  it('an operator’s transition without a token is not fenced, even on an edge no agent ever leased', async () => {
    await cluster.client.send(RegisterEdge, {
      edgeId: 'unleased-1',
      name: 'unleased-1',
      region: 'eu-west',
      location: { lat: 48.8, lon: 2.3 },
    });
    const moved = await cluster.client.send(TransitionEdge, {
      edgeId: 'unleased-1',
      to: 'warming',
      reason: 'ops',
    });
    expect(moved.lifecycle).toBe('warming');
  });
});
