import type { MetricsBatch, PlacementResult } from '@kailash/contracts';
import {
  edgeHealthSchema,
  GetHealth,
  getHealthResultSchema,
  LatestMetric,
  MONITOR_EDGE_AGGREGATE,
  PlaceWorkload,
  STATE_DOMAIN,
  TELEMETRY_METRICS,
} from '@kailash/contracts';
import type { ServiceCluster, ServiceInstance } from '@kailash/service-kit/testing';
import { startServiceCluster } from '@kailash/service-kit/testing';
import { eventually, TestClock } from '@kailash/testing';
import { jetstream } from '@nats-io/jetstream';
import { agentBatch } from '../../test/agent-batch';
import { startMonitorCluster } from '../../test/monitor-cluster';

const HOT = 'hot-edge';
const COOL = 'cool-edge';
const PARIS = { lat: 48.8566, lon: 2.3522 };
/** One health round per step; the default cpu rule needs 120 s (four steps after the first) past a threshold. */
const STEP_MS = 30_000;
const STALE_MS = 120_000;
const WAIT_MS = 20_000;

/**
 * An agent's batch (the agent's telemetry contract) whose 4 cores are `busyPercent` busy. Both edges
 * run under a load average of 3 per core throughout: health and placement judge the busy share.
 */
function batch(edgeId: string, sequence: number, endMs: number, busyPercent: number): MetricsBatch {
  return agentBatch({
    edgeId,
    sequence,
    endMs,
    windowMs: 5000,
    process: { cpuPercent: 5, rssBytes: 50_000_000 },
    host: {
      cpuCount: 4,
      cpuBusyPercent: busyPercent,
      loadAverage1m: 12,
      memoryTotalBytes: 8e9,
      memoryFreeBytes: 4e9,
    },
  });
}

/**
 * Health end to end: monitor-svc in this process on a test clock (health rounds move only when the
 * test says), state-svc as a built process on the same namespace, real NATS and PostgreSQL. CPU
 * comes in as agents' metrics batches on TELEMETRY.
 */
describe('edge health → placement (monitor-svc + state-svc, real NATS + PostgreSQL)', () => {
  const clock = new TestClock(Date.now());
  let monitor: ServiceCluster;
  let state: ServiceCluster;
  let monitorInstance: ServiceInstance;
  let stateInstance: ServiceInstance;
  const sequences = new Map<string, number>();

  beforeAll(async () => {
    monitor = await startMonitorCluster({
      clock,
      env: {
        HEALTH_EVAL_MS: String(STEP_MS),
        HEALTH_STALE_MS: String(STALE_MS),
        HEALTH_UTILISATION_MS: '1000',
      },
    });
    monitorInstance = await monitor.start();
    state = await startServiceCluster({
      service: 'state',
      domain: STATE_DOMAIN,
      app: 'state-svc',
      clock: false,
      env: { KAILASH_NAMESPACE: monitor.namespace, RATE_LIMIT_PER_MINUTE: '100000' },
    });
    stateInstance = await state.start({ as: 'process' });
    for (const edgeId of [HOT, COOL]) {
      const registered = await stateInstance.request('POST', '/edges', {
        edgeId,
        name: edgeId,
        region: 'eu-west',
        location: PARIS,
        zones: ['public'],
        capacity: { cpu: 16, memory: 64 },
      });
      expect(registered.status).toBe(201);
      for (const to of ['warming', 'active'])
        expect(
          (await stateInstance.request('POST', `/edges/${edgeId}/transitions`, { to, reason: 'test' }))
            .status,
        ).toBe(200);
    }
  }, 300_000);
  afterAll(async () => {
    await state?.close();
    await monitor?.close();
  }, 90_000);

  /** Samples of each edge (its CPU busy %) at the clock's now, waited for until stored, then one health round. */
  async function step(busy: Partial<Record<string, number>>): Promise<void> {
    const js = jetstream(monitor.nc);
    const at = clock.nowMs();
    for (const [edgeId, percent] of Object.entries(busy)) {
      const sequence = (sequences.get(edgeId) ?? 0) + 1;
      sequences.set(edgeId, sequence);
      await js.publish(
        monitor.subjects.telemetry(TELEMETRY_METRICS, edgeId),
        JSON.stringify(batch(edgeId, sequence, at, percent as number)),
      );
    }
    for (const edgeId of Object.keys(busy))
      await eventually(
        `${edgeId}'s batch at ${at} stored`,
        () => monitor.client.send(LatestMetric, { metric: 'cpu', edgeId }),
        (result) => result.series.some((series) => Date.parse(series.at) === at),
        WAIT_MS,
      );
    await clock.advance(STEP_MS);
  }

  const statusOf = async (edgeId: string) =>
    (await monitor.client.send(GetHealth, { edgeId })).edges[0]?.status;

  const healthChanges = async (edgeId: string) =>
    (await monitor.storedEvents({ aggregateType: MONITOR_EDGE_AGGREGATE, aggregateId: edgeId }))
      .filter((event) => event.type === 'edge.health.changed')
      .map((event) => event.data as { previous: string; status: string; change: number; reasons: unknown[] });

  const place = (): Promise<PlacementResult> =>
    monitor.client.send(PlaceWorkload, { client: PARIS, strategy: 'load_balanced' } as never);
  const offered = (result: PlacementResult) => result.candidates.map((candidate) => candidate.edgeId).sort();

  it('judges both edges healthy first, and placement scores load from the measured CPU', async () => {
    await step({ [HOT]: 20, [COOL]: 20 });
    expect([await statusOf(HOT), await statusOf(COOL)]).toEqual(['healthy', 'healthy']);
    expect(await healthChanges(HOT)).toEqual([
      expect.objectContaining({ previous: 'unknown', status: 'healthy', change: 1 }),
    ]);
    await step({ [HOT]: 85, [COOL]: 20 });
    // Load is the mean free share of cpu and memory: 15 % and 50 % free on the hot edge (85 % of its
    // cores and half its memory in use), 80 % and 50 % on the cool one.
    const loadOf = (r: PlacementResult, edgeId: string) =>
      r.candidates.find((c) => c.edgeId === edgeId)?.scores.load ?? -1;
    const result = await eventually(
      'load from utilisation',
      place,
      (r) => Math.abs(loadOf(r, HOT) - 32.5) < 0.01,
      WAIT_MS,
    );
    expect(result.candidates.map((c) => c.edgeId)).toEqual([COOL, HOT]);
    expect(loadOf(result, COOL)).toBeCloseTo(65, 2);
  }, 60_000);

  it('goes degraded after 120 s past 80 %, keeping the breach’s since-time across a restart', async () => {
    await step({ [HOT]: 86, [COOL]: 20 });
    await monitorInstance.restart();
    await step({ [HOT]: 87, [COOL]: 20 });
    await step({ [HOT]: 88, [COOL]: 20 });
    // The first breach was seen in the round after 85 %; the rounds 30, 60 and 90 s later are still healthy.
    expect(await statusOf(HOT)).toBe('healthy');
    await step({ [HOT]: 89, [COOL]: 20 });
    const health = edgeHealthSchema.parse(
      await (await monitorInstance.request('GET', `/health/edges/${HOT}`)).json(),
    );
    expect(health).toMatchObject({ edgeId: HOT, status: 'degraded' });
    expect(health.reasons).toEqual([
      expect.objectContaining({ rule: 'cpu', metric: 'cpu', level: 'degraded', value: 89, threshold: 80 }),
    ]);
    expect(Date.parse(health.since) - Date.parse(health.reasons[0]?.since ?? '')).toBe(4 * STEP_MS);
    expect(offered(await place())).toEqual([COOL, HOT]);
  }, 90_000);

  it('goes unhealthy after 120 s past 95 %, and placement stops offering it', async () => {
    for (let i = 0; i < 4; i++) await step({ [HOT]: 99, [COOL]: 20 });
    expect(await statusOf(HOT)).toBe('degraded');
    await step({ [HOT]: 99, [COOL]: 20 });
    expect(await statusOf(HOT)).toBe('unhealthy');
    const changes = await healthChanges(HOT);
    expect(changes.map((c) => `${c.previous}>${c.status}`)).toEqual([
      'unknown>healthy',
      'healthy>degraded',
      'degraded>unhealthy',
    ]);
    expect(changes[2]?.reasons).toEqual([
      expect.objectContaining({ rule: 'cpu', metric: 'cpu', level: 'unhealthy', value: 99, threshold: 95 }),
    ]);
    const result = await eventually('hot edge filtered', place, (r) => !offered(r).includes(HOT), WAIT_MS);
    expect(offered(result)).toEqual([COOL]);
  }, 120_000);

  it('is healthy and placeable again after 120 s back down', async () => {
    for (let i = 0; i < 4; i++) await step({ [HOT]: 10, [COOL]: 20 });
    expect(await statusOf(HOT)).toBe('unhealthy');
    await step({ [HOT]: 10, [COOL]: 20 });
    expect(await statusOf(HOT)).toBe('healthy');
    const result = await eventually('hot edge offered', place, (r) => offered(r).includes(HOT), WAIT_MS);
    expect(offered(result)).toEqual([COOL, HOT]);
    expect((await healthChanges(HOT)).map((c) => c.status)).toEqual([
      'healthy',
      'degraded',
      'unhealthy',
      'healthy',
    ]);
  }, 120_000);

  it('is unknown once stale, names why, and a restart publishes no change twice', async () => {
    // Its last sample is 30 s old at the next round: 60, 90, 120 s are fresh enough, 150 s is not.
    for (let i = 0; i < 3; i++) await step({ [COOL]: 20 });
    expect(await statusOf(HOT)).toBe('healthy');
    await step({ [COOL]: 20 });
    const stale = (await monitor.client.send(GetHealth, { status: 'unknown' })).edges;
    expect(stale.map((edge) => edge.edgeId)).toEqual([HOT]);
    expect(stale[0]?.reasons).toEqual([
      expect.objectContaining({ rule: 'stale', level: 'unknown', comparison: 'stale', threshold: STALE_MS }),
    ]);
    // Unknown is not unhealthy: liveness is the lease's business, so placement still offers it.
    expect(offered(await place())).toEqual([COOL, HOT]);
    await monitorInstance.restart();
    await step({ [COOL]: 20 });
    await step({ [COOL]: 20 });
    expect((await healthChanges(HOT)).map((c) => c.change)).toEqual([1, 2, 3, 4, 5]);
    expect((await healthChanges(HOT)).at(-1)).toMatchObject({ previous: 'healthy', status: 'unknown' });
    expect(await healthChanges(COOL)).toEqual([expect.objectContaining({ status: 'healthy', change: 1 })]);
    const list = getHealthResultSchema.parse(
      await (await monitorInstance.request('GET', '/health/edges')).json(),
    );
    expect(list.edges.map((edge) => [edge.edgeId, edge.status])).toEqual([
      [COOL, 'healthy'],
      [HOT, 'unknown'],
    ]);
    const metrics = await (await monitorInstance.request('GET', '/metrics')).text();
    expect(metrics).toMatch(/^kailash_monitor_edges\{status="unknown"\} 1$/m);
    expect(metrics).toMatch(/^kailash_monitor_edges\{status="healthy"\} 1$/m);
  }, 120_000);

  it('answers get_health errors with the field named', async () => {
    expect((await monitorInstance.request('GET', '/health/edges?status=sick')).status).toBe(400);
    const missing = await monitorInstance.request('GET', '/health/edges/nobody');
    expect(missing.status).toBe(404);
    await expect(monitor.client.send(GetHealth, { edgeId: 'a b' } as never)).rejects.toThrow(/edgeId/);
  }, 30_000);
});
