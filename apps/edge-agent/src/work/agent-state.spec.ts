import { AgentState } from './agent-state';

/** The agent's own fence: work is admitted only while its lease is live by its own monotonic clock. */
describe('AgentState', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refuses work before any lease, admits it while the lease is live, and refuses it past the deadline', async () => {
    const state = new AgentState();
    await expect(state.admit(() => 1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    state.holdLease(7, 1_000, performance.now());
    await expect(state.admit(() => 2)).resolves.toBe(2);
    expect(state.fencingToken()).toBe(7);
    // A pause longer than the TTL: no renewal ran, so the agent fences itself.
    jest.advanceTimersByTime(1_000);
    expect(state.fencingToken()).toBeNull();
    expect(state.lastToken()).toBe(7);
    await expect(state.admit(() => 3)).rejects.toMatchObject({
      code: 'CONFLICT',
      details: { reason: 'lease-lost' },
    });
  });

  it('takes no new work once draining, and reports idle when the work in flight is done', async () => {
    const state = new AgentState();
    state.holdLease(1, 60_000, performance.now());
    let finish: () => void = () => undefined;
    const running = state.admit(() => new Promise<void>((resolve) => (finish = resolve)));
    state.draining = true;
    await expect(state.admit(() => 1)).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(state.inFlightCount()).toBe(1);
    const idle = state.whenIdle(5_000);
    finish();
    await running;
    await expect(idle).resolves.toBe(true);
  });

  it('gives up waiting for idle after the grace', async () => {
    const state = new AgentState();
    state.holdLease(1, 60_000, performance.now());
    void state.admit(() => new Promise(() => undefined));
    const idle = state.whenIdle(100);
    jest.advanceTimersByTime(100);
    await expect(idle).resolves.toBe(false);
  });
});
