import { LATENCY_BUCKETS_MS } from '@kailash/contracts';
import { WorkloadStats } from './workload-stats';

describe('a workload’s figures over a window', () => {
  it('counts requests, errors, cold starts and hits into a latency histogram, then starts afresh', () => {
    const stats = new WorkloadStats('fn', 'function');
    stats.record({ ms: 0.5, ok: true, hit: true });
    stats.record({ ms: 300, ok: true, cold: true });
    stats.record({ ms: 99_999, ok: false });
    const window = stats.take({ warmInstances: 2, idleWarmMemoryBytes: 1024 });
    expect(window).toMatchObject({ requests: 3, errors: 1, coldStarts: 1, cacheHits: 1, warmInstances: 2 });
    expect(window.latency.counts).toHaveLength(LATENCY_BUCKETS_MS.length + 1);
    expect(window.latency.counts[0]).toBe(1); // ≤ 1 ms
    expect(window.latency.counts[LATENCY_BUCKETS_MS.indexOf(500)]).toBe(1); // 250 < 300 ≤ 500
    expect(window.latency.counts.at(-1)).toBe(1); // above the last bound
    expect(window.latency.sumMs).toBeCloseTo(100_299.5);
    expect(stats.take({ warmInstances: 0, idleWarmMemoryBytes: 0 })).toMatchObject({
      requests: 0,
      coldStarts: 0,
    });
  });
});
