import { performance } from 'node:perf_hooks';
import { percentile } from '../report';
import type { BenchKv } from './bench-target';

export interface LoadFigure {
  readonly inFlight: number;
  readonly operations: number;
  readonly errors: number;
  readonly perSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

/**
 * Closed loop: `inFlight` workers each issue one operation, wait for its answer, issue the next,
 * until `durationMs` has passed. Latency is per operation, from call to answer.
 */
export async function closedLoop(
  inFlight: number,
  durationMs: number,
  operation: (worker: number, sequence: number) => Promise<unknown>,
): Promise<LoadFigure> {
  const latencies: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (id: number) => {
    for (let sequence = 0; performance.now() < deadline; sequence++) {
      const call = performance.now();
      try {
        await operation(id, sequence);
        latencies.push(performance.now() - call);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, (_, id) => worker(id)));
  const elapsed = performance.now() - started;
  return {
    inFlight,
    operations: latencies.length,
    errors,
    perSecond: (latencies.length / elapsed) * 1000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
  };
}

const VALUE = 'v'.repeat(64);

/** Puts of 64-byte values over a key space as wide as the number of workers. */
export function putLoad(kv: BenchKv, inFlight: number, durationMs: number): Promise<LoadFigure> {
  return closedLoop(inFlight, durationMs, (worker, sequence) =>
    kv.put(`bench/w${worker}/k${sequence % 100}`, VALUE),
  );
}

/** One client reading one key linearizably, one read at a time. */
export async function readLoad(kv: BenchKv, durationMs: number): Promise<LoadFigure> {
  await kv.put('bench/read', VALUE);
  return closedLoop(1, durationMs, () => kv.get('bench/read'));
}
