import type { Heartbeat } from '@kailash/contracts';
import { GetLease, heartbeatSchema, TransitionEdge } from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import type { AgentProcess } from '../test/edge-harness';
import {
  BOOT_MS,
  EdgeHarness,
  http,
  LEASE_TTL_MS,
  STOP_MS,
  SWEEP_MS,
  TEST_PRINCIPAL,
} from '../test/edge-harness';

// How long the expiry path may take end to end: the TTL, one sweep, then the policy's consumer and
// the projection on a loaded machine. A bound on the wait, not a speed claim.
const EXPIRY_BOUND_MS = LEASE_TTL_MS + SWEEP_MS + 8_000;
const EDGE = 'edge-life';
const SLOW = { id: 'slow', kind: 'function', initMs: 0, memoryMb: 1, execMs: 1_500, keepAliveMs: 60_000 };
const WORKLOADS = [{ id: 'store', kind: 'kv' }, SLOW];

/** How many lease expiries state-svc's edge policy has judged (applied, superseded, refused…). */
async function policyOutcomes(harness: EdgeHarness): Promise<number> {
  const text = await (await fetch(`${harness.state.url}/metrics`)).text();
  return [...text.matchAll(/^kailash_lease_expiry_policy_total\{[^}]*\} (\d+)/gm)].reduce(
    (sum, match) => sum + Number(match[1]),
    0,
  );
}

const leaseOf = (harness: EdgeHarness) => harness.client.send(GetLease, { resource: `edge:${EDGE}` });

/**
 * The agent's life against a real state-svc, every piece a built process: register and go active,
 * die and be drained by lease expiry, come back with a higher fencing token, be fenced off after a
 * pause, and drain cleanly on SIGTERM.
 */
describe('edge-agent lifecycle (state-svc + agents as processes, real NATS + PostgreSQL)', () => {
  let harness: EdgeHarness;
  let first: AgentProcess;
  let restarted: AgentProcess;
  let takeover: AgentProcess;
  let firstToken = 0;

  beforeAll(async () => {
    harness = await EdgeHarness.start();
  }, BOOT_MS * 3);
  afterAll(() => harness?.close(), STOP_MS * 2);

  it(
    'registers its edge, takes the lease edge:<id> and goes initialized → warming → active, heartbeating',
    async () => {
      const heartbeats: Heartbeat[] = [];
      const subscription = harness.nc.subscribe(harness.subjects.telemetry('heartbeat', EDGE), {
        callback: (_error, msg) => {
          heartbeats.push(heartbeatSchema.parse(msg.json()));
        },
      });
      first = await harness.startAgent({ edgeId: EDGE, workloads: WORKLOADS });
      const status = await http(first.url, 'GET', '/agent');
      expect(status.body).toMatchObject({
        edgeId: EDGE,
        lifecycle: 'active',
        leaseHeld: true,
        registered: true,
      });
      firstToken = status.body['fencingToken'] as number;
      const lease = await eventually(
        'the lease projected',
        () => leaseOf(harness),
        (l) => l.status === 'held',
      );
      expect(lease).toMatchObject({
        fencingToken: firstToken,
        holder: expect.stringMatching(new RegExp(`^${EDGE}/`)),
      });
      const edge = await eventually(
        'the edge active',
        () => harness.edge(EDGE),
        (e) => e.lifecycle === 'active',
      );
      expect(edge).toMatchObject({ region: 'eu-west', zones: ['gdpr'], capacity: { cpu: 4, memory: 8192 } });
      const history = await harness.history(EDGE);
      // The first record is the registration itself (initialized → initialized).
      expect(history.map(({ from, to }) => `${from}>${to}`)).toEqual([
        'initialized>initialized',
        'initialized>warming',
        'warming>active',
      ]);
      expect(history.every((entry) => entry.actor === TEST_PRINCIPAL)).toBe(true);

      await eventually(
        'three heartbeats',
        async () => heartbeats.length,
        (n) => n >= 3,
        10_000,
      );
      subscription.unsubscribe();
      const sequences = heartbeats.map((beat) => beat.sequence);
      expect(sequences).toEqual(sequences.map((_, i) => (sequences[0] ?? 0) + i));
      expect(heartbeats.at(-1)).toMatchObject({
        edgeId: EDGE,
        lifecycle: 'active',
        fencingToken: firstToken,
      });
    },
    BOOT_MS + 30_000,
  );

  it(
    'kill -9: its lease expires and state-svc moves the edge to draining within TTL + sweep interval',
    async () => {
      await first.crash();
      const edge = await eventually(
        'the edge drained by the expiry policy',
        () => harness.edge(EDGE),
        (e) => e.lifecycle === 'draining',
        EXPIRY_BOUND_MS,
      );
      expect(edge.lifecycle).toBe('draining');
      const last = (await harness.history(EDGE)).at(-1);
      expect(last).toMatchObject({ from: 'active', to: 'draining', actor: 'lease-expiry' });
      expect(last?.reason).toContain(`fencing token ${firstToken}`);
      expect(await leaseOf(harness)).toMatchObject({ status: 'expired', fencingToken: firstToken });
    },
    EXPIRY_BOUND_MS + 10_000,
  );

  it(
    'restarted on the same disk: re-acquires with a higher fencing token and goes active again',
    async () => {
      restarted = await harness.startAgent({ edgeId: EDGE, dataDir: first.dataDir, workloads: WORKLOADS });
      const status = await http(restarted.url, 'GET', '/agent');
      expect(status.body['fencingToken']).toBeGreaterThan(firstToken);
      const edge = await eventually(
        'active again',
        () => harness.edge(EDGE),
        (e) => e.lifecycle === 'active',
      );
      expect(edge.lifecycle).toBe('active');
      expect((await harness.history(EDGE)).at(-1)).toMatchObject({ from: 'draining', to: 'active' });
    },
    BOOT_MS + 10_000,
  );

  it(
    'a SIGSTOPped agent resumed after another took its lease over is refused when it writes',
    async () => {
      const staleToken = (await http(restarted.url, 'GET', '/agent')).body['fencingToken'] as number;
      await http(restarted.url, 'PUT', '/kv/store/before-pause', { value: 1 }).then(({ status }) =>
        expect(status).toBe(200),
      );
      restarted.child.kill('SIGSTOP');
      // A new agent for the same edge waits for the paused one's lease to expire, then takes over.
      takeover = await harness.startAgent({ edgeId: EDGE, workloads: WORKLOADS });
      const newToken = (await http(takeover.url, 'GET', '/agent')).body['fencingToken'] as number;
      expect(newToken).toBeGreaterThan(staleToken);
      restarted.child.kill('SIGCONT');

      // Its own deadline passed while it was paused: it serves nothing, even before it hears from state-svc.
      const write = await http(restarted.url, 'PUT', '/kv/store/after-pause', { value: 2 });
      expect(write).toMatchObject({ status: 409, body: { error: { details: { reason: 'lease-lost' } } } });
      // State-svc refuses a lifecycle write fenced by the old token…
      await expect(
        harness.client.send(TransitionEdge, {
          edgeId: EDGE,
          to: 'draining',
          reason: 'stale',
          fencingToken: staleToken,
        }),
      ).rejects.toMatchObject({ code: 'CONFLICT', details: { reason: 'stale-token' } });
      // …and so the stale agent's own drain on SIGTERM changes nothing: the edge stays the new agent's.
      await restarted.stop();
      expect(restarted.output()).toContain('lease lost');
      // The expiry of the paused agent's lease may drain the edge a moment after the takeover (the
      // policy runs behind the stream); once the policy has judged that expiry, the new holder has
      // the edge active again.
      await eventually(
        'the expiry policy past both expiries',
        () => policyOutcomes(harness),
        (n) => n >= 2,
        10_000,
      );
      const edge = await eventually(
        'the edge active under the new agent',
        () => harness.edge(EDGE),
        (e) => e.lifecycle === 'active',
      );
      expect(edge.lifecycle).toBe('active');
      expect((await harness.history(EDGE)).some((entry) => entry.reason === 'agent stopping')).toBe(false);
      expect(await leaseOf(harness)).toMatchObject({ status: 'held', fencingToken: newToken });
    },
    BOOT_MS + 30_000,
  );

  it(
    'SIGTERM drains: active → draining, every request in flight answered, lease released, exit 0',
    async () => {
      await eventually(
        'the agent active',
        async () => (await http(takeover.url, 'GET', '/agent')).body['lifecycle'],
        (lifecycle) => lifecycle === 'active',
        10_000,
      );
      const token = (await http(takeover.url, 'GET', '/agent')).body['fencingToken'] as number;
      const inFlight = Array.from({ length: 4 }, () =>
        http(takeover.url, 'POST', '/workloads/slow/invocations'),
      );
      await eventually(
        'the invocations in flight',
        async () => (await http(takeover.url, 'GET', '/agent')).body['inFlight'] as number,
        (n) => n === 4,
        10_000,
      );
      takeover.child.kill('SIGTERM');
      const answers = await Promise.all(inFlight);
      expect(answers.map(({ status }) => status)).toEqual([200, 200, 200, 200]);
      expect(await takeover.exited()).toEqual({ code: 0, signal: null });
      const edge = await eventually(
        'drained',
        () => harness.edge(EDGE),
        (e) => e.lifecycle === 'draining',
      );
      expect(edge.lifecycle).toBe('draining');
      expect((await harness.history(EDGE)).at(-1)).toMatchObject({
        to: 'draining',
        reason: 'agent stopping',
        actor: TEST_PRINCIPAL,
      });
      const lease = await eventually(
        'released',
        () => leaseOf(harness),
        (l) => l.status === 'released',
      );
      expect(lease.fencingToken).toBe(token);
    },
    STOP_MS + 20_000,
  );
});
