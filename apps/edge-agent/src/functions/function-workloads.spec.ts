import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FunctionSpec } from '@kailash/contracts';
import { functionSpecSchema } from '@kailash/contracts';
import { TestClock } from '@kailash/testing';
import type { AgentConfig } from '../config/agent-config';
import { EXPIRY_SWEEP_MS, FunctionWorkloads } from './function-workloads';
import { WorkloadCatalog } from './workload-catalog';

const KEEP_ALIVE_MS = 500;

/** Keep-alive judged on a clock the test moves: no real time passes between the steps. */
describe('FunctionWorkloads expiry', () => {
  let dir: string;
  let clock: TestClock;
  let functions: FunctionWorkloads;
  const spec = (overrides: Partial<FunctionSpec> = {}) =>
    functionSpecSchema.parse({
      id: 'fn',
      kind: 'function',
      initMs: 0,
      memoryMb: 0,
      keepAliveMs: KEEP_ALIVE_MS,
      ...overrides,
    });

  const boot = (workload: FunctionSpec) => {
    const config = { dataDir: dir, workloads: [workload] } as unknown as AgentConfig;
    functions = new FunctionWorkloads(new WorkloadCatalog(config), clock);
    functions.onModuleInit();
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'fn-expiry-'));
    clock = new TestClock();
  });
  afterEach(() => {
    functions.onApplicationShutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an invocation after the keep-alive is cold even when no sweep has run since the deadline', async () => {
    boot(spec());
    expect((await functions.invoke('fn')).coldStart).toBe(true);
    await clock.advance(KEEP_ALIVE_MS - 1);
    expect((await functions.invoke('fn')).coldStart).toBe(false);
    // The deadline passes between two sweeps (the sweep is every EXPIRY_SWEEP_MS > KEEP_ALIVE_MS).
    expect(EXPIRY_SWEEP_MS).toBeGreaterThan(KEEP_ALIVE_MS);
    await clock.advance(KEEP_ALIVE_MS);
    const late = await functions.invoke('fn');
    expect(late.coldStart).toBe(true);
    expect(late.instance).toBe('fn-2');
    const [metrics] = functions.takeMetrics();
    expect(metrics).toMatchObject({ coldStarts: 2, cacheHits: 1, warmInstances: 1 });
  });

  it('an instance past its keep-alive is not counted warm, and the sweep frees it', async () => {
    boot(spec({ memoryMb: 1 }));
    await functions.invoke('fn');
    expect(functions.viewOf('fn')).toMatchObject({ warmInstances: 1 });
    await clock.advance(KEEP_ALIVE_MS);
    expect(functions.viewOf('fn')).toMatchObject({ warmInstances: 0, busyInstances: 0 });
    expect(functions.takeMetrics()[0]).toMatchObject({ warmInstances: 0, idleWarmMemoryBytes: 0 });
  });

  it('a sweep never drops a busy instance; its keep-alive counts from the end of its invocation', async () => {
    boot(spec({ execMs: 30 }));
    await functions.invoke('fn');
    const running = functions.invoke('fn');
    await clock.advance(EXPIRY_SWEEP_MS * 2);
    expect(functions.viewOf('fn')).toMatchObject({ busyInstances: 1 });
    expect((await running).coldStart).toBe(false);
    await clock.advance(KEEP_ALIVE_MS - 1);
    expect((await functions.invoke('fn')).coldStart).toBe(false);
  });

  it('prewarm while an invocation is in flight: the busy instance stays warm for the ttl too', async () => {
    boot(spec({ execMs: 30 }));
    await functions.invoke('fn');
    const running = functions.invoke('fn');
    const ttlMs = KEEP_ALIVE_MS * 10;
    await expect(functions.prewarm('fn', 2, ttlMs)).resolves.toMatchObject({
      warmInstances: 1,
      busyInstances: 1,
    });
    await running;
    await clock.advance(KEEP_ALIVE_MS * 5);
    expect(functions.viewOf('fn')).toMatchObject({ warmInstances: 2 });
    const both = await Promise.all([functions.invoke('fn'), functions.invoke('fn')]);
    expect(both.map(({ coldStart }) => coldStart)).toEqual([false, false]);
  });
});
