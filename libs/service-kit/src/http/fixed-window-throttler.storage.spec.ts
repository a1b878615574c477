import { FixedWindowThrottlerStorage } from './fixed-window-throttler.storage';

describe('FixedWindowThrottlerStorage', () => {
  let now = 1_000_000;
  const storage = () => new FixedWindowThrottlerStorage(() => now);
  beforeEach(() => (now = 1_000_000));

  it('lets `limit` requests through in a window, blocks the next one until the block passes', async () => {
    const store = storage();
    for (let i = 1; i <= 3; i++)
      expect((await store.increment('k', 60_000, 3, 60_000)).isBlocked).toBe(false);
    const refused = await store.increment('k', 60_000, 3, 60_000);
    expect(refused).toMatchObject({ isBlocked: true, totalHits: 4, timeToBlockExpire: 60 });
    now += 59_999;
    expect((await store.increment('k', 60_000, 3, 60_000)).isBlocked).toBe(true);
    now += 1;
    expect(await store.increment('k', 60_000, 3, 60_000)).toMatchObject({ isBlocked: false, totalHits: 1 });
  });

  it('counts each caller on its own', async () => {
    const store = storage();
    await store.increment('a', 60_000, 1, 60_000);
    expect((await store.increment('a', 60_000, 1, 60_000)).isBlocked).toBe(true);
    expect((await store.increment('b', 60_000, 1, 60_000)).isBlocked).toBe(false);
  });

  it('stays O(1) for a caller far past a large limit (the default store throws there)', async () => {
    const store = storage();
    let last;
    for (let i = 0; i < 300_000; i++) last = await store.increment('hot', 60_000, 250_000, 60_000);
    expect(last).toMatchObject({ isBlocked: true, totalHits: 250_001 });
  });

  it('forgets callers whose window and block have passed', async () => {
    const store = storage();
    for (const key of ['a', 'b', 'c']) await store.increment(key, 60_000, 10, 60_000);
    now += 120_000;
    await store.increment('d', 60_000, 10, 60_000);
    expect(store.size).toBe(1);
  });
});
