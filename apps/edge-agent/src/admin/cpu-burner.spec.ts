import { CpuBurner } from './cpu-burner';

const cpuMs = (since: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(since);
  return (used.user + used.system) / 1000;
};
const wallWait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The burner really spends this process's CPU, in slices, one load at a time. */
describe('CpuBurner', () => {
  let burner: CpuBurner;
  beforeEach(() => (burner = new CpuBurner()));
  afterEach(() => burner.cancel());

  it('the process uses more CPU while a load runs than over as long a wait without one', async () => {
    // Past the worker's own start-up work first, so the idle window is idle.
    await wallWait(500);
    const windowMs = 1_000;
    const idleStart = process.cpuUsage();
    await wallWait(windowMs);
    const idle = cpuMs(idleStart);

    const loadStart = process.cpuUsage();
    burner.start(100, 60_000, 'tester');
    await wallWait(windowMs);
    const loaded = cpuMs(loadStart);
    const view = burner.cancel();

    expect(loaded).toBeGreaterThan(idle);
    expect(view.burnedMs).toBeGreaterThan(0);
  });

  it('keeps the event loop turning: a timer set during a full load runs before the load ends', async () => {
    burner.start(100, 60_000, 'tester');
    let ran = false;
    await new Promise<void>((resolve) =>
      setTimeout(() => {
        ran = true;
        resolve();
      }, 1),
    );
    expect(ran).toBe(true);
    expect(burner.view()).toMatchObject({ running: true, cpuPercent: 100 });
  });

  it('one load at a time: a second is a CONFLICT until the first is cancelled', () => {
    const first = burner.start(10, 60_000, 'alice');
    expect(first).toMatchObject({ running: true, cpuPercent: 10, durationMs: 60_000, actor: 'alice' });
    expect(() => burner.start(20, 1_000, 'bob')).toThrow(
      expect.objectContaining({
        code: 'CONFLICT',
        details: expect.objectContaining({ reason: 'load-running' }),
      }),
    );
    expect(burner.cancel()).toMatchObject({ running: false, cpuPercent: 10, actor: 'alice' });
    expect(burner.start(20, 1_000, 'bob')).toMatchObject({ running: true, cpuPercent: 20, actor: 'bob' });
  });

  it('ends by itself after its duration', async () => {
    burner.start(5, 100, 'tester');
    await new Promise<void>((resolve, reject) => {
      const deadline = Date.now() + 10_000;
      const check = () => {
        if (!burner.view().running) return resolve();
        if (Date.now() > deadline) return reject(new Error('the load did not end'));
        setTimeout(check, 20);
      };
      check();
    });
    expect(burner.view()).toMatchObject({ running: false, durationMs: 100 });
  });
});
