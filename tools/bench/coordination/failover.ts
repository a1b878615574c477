import { performance } from 'node:perf_hooks';
import type { BenchCluster, BenchKv } from './bench-target';

export interface FailoverFigure {
  /** From kill -9 of the leader to the acknowledgement of the first put issued after it. */
  readonly msToNextAck: number;
  /** Puts that failed (after the client's own retries) before one succeeded. */
  readonly failedPuts: number;
  /** From the kill to a surviving member reporting itself leader (polled every 20 ms). */
  readonly msToNewLeader: number;
}

/**
 * A client putting sequentially when the leader dies. Only a put called after the kill counts:
 * one already in flight may have been committed by the old leader just before it died.
 */
export async function measureFailover(
  cluster: BenchCluster,
  kv: BenchKv,
  giveUpMs: number,
): Promise<FailoverFigure> {
  let killedAt = Number.POSITIVE_INFINITY;
  let failedPuts = 0;
  let sequence = 0;
  const writer = (async () => {
    for (;;) {
      const call = performance.now();
      if (call > killedAt + giveUpMs)
        throw new Error(`${cluster.name}: no put acknowledged ${giveUpMs} ms after the kill`);
      try {
        await kv.put('bench/failover', String(sequence++));
        if (call >= killedAt) return performance.now() - killedAt;
      } catch {
        if (call >= killedAt) failedPuts++;
        // A client whose retries are exhausted tries again at once, without spinning the CPU.
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  })();
  await new Promise((resolve) => setTimeout(resolve, 300));
  const kill = await cluster.killLeader();
  killedAt = kill.killedAt;
  const msToNextAck = await writer;
  const msToNewLeader = (await kill.elected) - killedAt;
  return { msToNextAck, failedPuts, msToNewLeader };
}
