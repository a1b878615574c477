import type { MetricsBatch } from '@kailash/contracts';
import {
  CancelCpuLoad,
  DeployWorkload,
  InvokeWorkload,
  KvGet,
  KvPut,
  ListWorkloads,
  metricsBatchSchema,
  SetStateValue,
  StartCpuLoad,
} from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import type { AgentProcess } from '../test/edge-harness';
import { BOOT_MS, EdgeHarness, http, STOP_MS, TEST_PRINCIPAL } from '../test/edge-harness';

const MIB = 1024 * 1024;
const FN = { id: 'fn', kind: 'function', initMs: 300, memoryMb: 24, keepAliveMs: 60_000 };
const SHORT = { id: 'short', kind: 'function', initMs: 50, memoryMb: 1, keepAliveMs: 300 };
const KILL_ROUNDS = 3;
const WRITERS = 4;

interface Acked {
  readonly key: string;
  readonly value: { readonly i: number };
  readonly version: number;
}

/** Workloads on agents that are built processes: KV durability across kill -9, cold and warm functions, MOVED. */
describe('edge-agent workloads (state-svc + agents as processes, real NATS + PostgreSQL)', () => {
  let harness: EdgeHarness;
  beforeAll(async () => {
    harness = await EdgeHarness.start();
  }, BOOT_MS * 3);
  afterAll(() => harness?.close(), STOP_MS * 2);

  /** Every metrics batch the edge publishes from now on, checked against its contract. */
  const collectBatches = (edgeId: string) => {
    const batches: MetricsBatch[] = [];
    const subscription = harness.nc.subscribe(harness.subjects.telemetry('metrics', edgeId), {
      callback: (_error, msg) => {
        batches.push(metricsBatchSchema.parse(msg.json()));
      },
    });
    return { batches, subscription };
  };

  it(
    'KV: every write acknowledged while the agent is kill -9ed again and again is there after restart, with its version',
    async () => {
      const edgeId = 'edge-kv';
      let agent = await harness.startAgent({ edgeId });
      const acked: Acked[] = [];
      const counter: { version: number; value: number }[] = [];
      let next = 0;
      let writing = true;
      const writer = async () => {
        while (writing) {
          const i = ++next;
          const key = `k-${i}`;
          try {
            const written = await harness.ask(edgeId, KvPut, { store: 'store', key, value: { i } });
            acked.push({ key, value: { i }, version: written.version });
            const count = await harness.ask(edgeId, KvPut, { store: 'store', key: 'counter', value: i });
            counter.push({ version: count.version, value: i });
          } catch {
            // Not acknowledged (the agent is down or restarting): nothing to expect of it.
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
        }
      };
      const writers = Array.from({ length: WRITERS }, writer);
      for (let round = 0; round < KILL_ROUNDS; round++) {
        const before = acked.length;
        await eventually(
          'writes acknowledged',
          async () => acked.length,
          (n) => n >= before + 25,
          30_000,
        );
        await agent.crash();
        agent = await harness.startAgent({ edgeId, dataDir: agent.dataDir });
      }
      await eventually(
        'writes after the last restart',
        async () => acked.length,
        (n) => n >= 25 * KILL_ROUNDS + 20,
        30_000,
      );
      writing = false;
      await Promise.all(writers);

      for (const write of acked) {
        expect(await harness.ask(edgeId, KvGet, { store: 'store', key: write.key })).toEqual({
          key: write.key,
          value: write.value,
          version: 1,
        });
      }
      // The counter: at least the last acknowledged version (an unacknowledged write may have landed too).
      const last = counter.reduce((a, b) => (b.version > a.version ? b : a));
      const stored = await harness.ask(edgeId, KvGet, { store: 'store', key: 'counter' });
      expect(stored.version).toBeGreaterThanOrEqual(last.version);
      if (stored.version === last.version) expect(stored.value).toBe(last.value);
      expect(new Set(counter.map(({ version }) => version)).size).toBe(counter.length);
      // A compare-and-set at a stale version fails its precondition, with the code state-svc answers.
      const [first] = acked;
      const stale = await http(agent.url, 'POST', `/kv/store/${first?.key}/cas`, {
        expectedVersion: 0,
        value: 1,
      });
      expect(stale.status).toBe(412);
      expect(stale.body['error']).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { reason: 'version-mismatch', currentVersion: 1 },
      });
    },
    BOOT_MS * (KILL_ROUNDS + 1) + 60_000,
  );

  it(
    'functions: a cold start pays its init time and memory; warm instances serve at once, expire after keep-alive; prewarm removes cold starts, cool brings them back',
    async () => {
      const edgeId = 'edge-fn';
      const { batches, subscription } = collectBatches(edgeId);
      const agent = await harness.startAgent({ edgeId, workloads: [FN, SHORT] });
      const invoke = async (workload: string) => {
        const answer = await http(agent.url, 'POST', `/workloads/${workload}/invocations`);
        expect(answer.status).toBe(200);
        return answer.body as unknown as { coldStart: boolean; durationMs: number; instance: string };
      };
      const cold: boolean[] = [];
      const track = async (workload: string) => {
        const result = await invoke(workload);
        if (workload === 'fn') cold.push(result.coldStart);
        return result;
      };

      const first = await track('fn');
      expect(first.coldStart).toBe(true);
      expect(first.durationMs).toBeGreaterThanOrEqual(FN.initMs);
      const second = await track('fn');
      expect(second).toMatchObject({ coldStart: false, instance: first.instance });

      const prewarmed = await http(agent.url, 'POST', '/workloads/fn/prewarm', {
        instances: 3,
        ttlMs: 60_000,
      });
      expect(prewarmed.body).toMatchObject({ workloadId: 'fn', warmInstances: 3 });
      const afterPrewarm = await Promise.all([track('fn'), track('fn'), track('fn')]);
      expect(afterPrewarm.map(({ coldStart }) => coldStart)).toEqual([false, false, false]);
      // The prewarmed instances' memory is really held: idle warm memory and the agent's RSS show it.
      // A batch begun after those invocations finished, when all three instances are idle.
      const seen = batches.length + 1;
      const held = await eventually(
        'a batch after the prewarmed invocations',
        async () => batches[seen],
        (batch) => batch !== undefined,
        10_000,
      );
      const fnFigures = held?.workloads.find((w) => w.workloadId === 'fn');
      expect(fnFigures?.idleWarmMemoryBytes).toBeGreaterThanOrEqual(3 * FN.memoryMb * MIB);
      expect(held?.process.rssBytes).toBeGreaterThan(3 * FN.memoryMb * MIB);

      const cooled = await http(agent.url, 'POST', '/workloads/fn/cool');
      expect(cooled.body).toMatchObject({ warmInstances: 0 });
      expect((await track('fn')).coldStart).toBe(true);

      expect((await invoke('short')).coldStart).toBe(true);
      await eventually(
        'the short-lived instance expired',
        async () =>
          (await http(agent.url, 'GET', '/workloads')).body['workloads'] as {
            workloadId: string;
            warmInstances: number;
          }[],
        (workloads: { workloadId: string; warmInstances: number }[]) =>
          workloads.find((w) => w.workloadId === 'short')?.warmInstances === 0,
        10_000,
      );
      expect((await invoke('short')).coldStart).toBe(true);

      // The telemetry counts the same cold starts the invocations reported.
      const coldStarts = cold.filter(Boolean).length;
      expect(coldStarts).toBe(2);
      await eventually(
        'the cold starts in the metrics batches',
        async () =>
          batches
            .flatMap((b) => b.workloads.filter((w) => w.workloadId === 'fn'))
            .reduce((sum, w) => sum + w.coldStarts, 0),
        (sum) => sum === coldStarts,
        10_000,
      );
      subscription.unsubscribe();
    },
    BOOT_MS + 60_000,
  );

  it(
    'a CPU load started by command raises the process CPU the agent publishes while it runs (host CPU busy % beside it); bad input is a 400 naming the field',
    async () => {
      const edgeId = 'edge-load';
      const { batches, subscription } = collectBatches(edgeId);
      const agent = await harness.startAgent({ edgeId });
      const refused = await http(agent.url, 'POST', '/admin/load', { cpuPercent: 0, durationMs: 1_000 });
      expect(refused.status).toBe(400);
      expect(JSON.stringify(refused.body)).toContain('cpuPercent');
      const batchesAfter = async (count: number, since: number) =>
        eventually(
          `${count} metrics batches`,
          async () => batches.filter((batch) => Date.parse(batch.windowStart) >= since),
          (found) => found.length >= count,
          30_000,
        );
      // After the first batches of a fresh process (start-up work), four of it doing nothing.
      const idle = (await batchesAfter(6, Date.now())).slice(2);
      const started = await http(agent.url, 'POST', '/admin/load', { cpuPercent: 90, durationMs: 60_000 });
      expect(started).toMatchObject({
        status: 200,
        body: { running: true, cpuPercent: 90, actor: TEST_PRINCIPAL },
      });
      const second = await harness
        .ask(edgeId, StartCpuLoad, { cpuPercent: 10, durationMs: 1_000 })
        .catch((e) => e);
      expect(second).toMatchObject({ code: 'CONFLICT', details: { reason: 'load-running' } });
      const loaded = await batchesAfter(4, Date.parse(String(started.body['startedAt'])));
      const cancelled = await harness.ask(edgeId, CancelCpuLoad, {});
      subscription.unsubscribe();
      const mean = (list: MetricsBatch[]) =>
        list.slice(0, 4).reduce((sum, batch) => sum + batch.process.cpuPercent, 0) / 4;
      expect(mean(loaded)).toBeGreaterThan(mean(idle));
      // The host's busy share is measured in every batch (the schema bounds it to 0–100); the
      // host is shared with other work here, so whether it rose says nothing about the agent.
      expect([...idle, ...loaded].map((batch) => typeof batch.host.cpuBusyPercent)).not.toContain(
        'undefined',
      );
      expect(cancelled).toMatchObject({ running: false, cpuPercent: 90 });
      expect(cancelled.burnedMs).toBeGreaterThan(0);
    },
    BOOT_MS + 90_000,
  );

  it(
    'deploys a workload by command, over NATS: idempotent, refused under a taken id, still there after a restart',
    async () => {
      const edgeId = 'edge-deploy';
      const agent = await harness.startAgent({ edgeId });
      const spec = { id: 'resize', kind: 'function' as const, initMs: 100, memoryMb: 2, keepAliveMs: 60_000 };
      const deployed = await harness.ask(edgeId, DeployWorkload, { spec });
      expect(deployed).toMatchObject({
        workloadId: 'resize',
        kind: 'function',
        warmInstances: 0,
        initMs: 100,
      });
      expect(await harness.ask(edgeId, DeployWorkload, { spec })).toEqual(deployed);
      await expect(
        harness.ask(edgeId, DeployWorkload, { spec: { ...spec, initMs: 5 } }),
      ).rejects.toMatchObject({
        code: 'CONFLICT',
        details: { reason: 'workload-exists' },
      });
      expect(await harness.ask(edgeId, InvokeWorkload, { workloadId: 'resize' })).toMatchObject({
        coldStart: true,
      });

      await agent.stop();
      const again = await harness.startAgent({ edgeId, dataDir: agent.dataDir });
      const { workloads } = await harness.ask(edgeId, ListWorkloads, {});
      expect(workloads.map(({ workloadId }) => workloadId).sort()).toEqual(['resize', 'store']);
      expect(await http(again.url, 'POST', '/workloads/resize/invocations')).toMatchObject({
        status: 200,
        body: { coldStart: true },
      });
    },
    BOOT_MS * 2 + 30_000,
  );

  it(
    'answers MOVED with the owner state-svc records when another edge owns the workload',
    async () => {
      const agents: AgentProcess[] = await Promise.all(
        ['edge-cart-a', 'edge-cart-b'].map((edgeId) =>
          harness.startAgent({ edgeId, workloads: [{ id: 'cart', kind: 'kv' }] }),
        ),
      );
      const object = await harness.client.send(SetStateValue, {
        objectId: 'cart',
        key: 'placement',
        value: 'x',
      });
      const owner = object.owner;
      expect(owner).not.toBeNull();
      const others = agents.filter(({ edgeId }) => edgeId !== owner);
      expect(others.length).toBeGreaterThan(0);
      for (const other of others) {
        const answer = await eventually(
          `${other.edgeId} answering MOVED`,
          () => http(other.url, 'PUT', '/kv/cart/item', { value: 1 }),
          ({ status }) => status === 421,
          10_000,
        );
        expect(answer.body['error']).toMatchObject({ code: 'MOVED', details: { workloadId: 'cart', owner } });
        await expect(harness.ask(other.edgeId, KvGet, { store: 'cart', key: 'item' })).rejects.toMatchObject({
          code: 'MOVED',
          details: { owner },
        });
      }
    },
    BOOT_MS + 30_000,
  );
});
