import { percentile } from '../report';

export interface Figures {
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Open loop only: requests not sent because too many were in flight. */
  readonly shed: number;
}

function figures(latencies: number[], seconds: number, errors: number, shed = 0): Figures {
  return {
    ops: latencies.length,
    opsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    shed,
  };
}

/** `count` operations by `concurrency` workers, each waiting for its answer before the next. */
export async function closedLoop(
  count: number,
  concurrency: number,
  operation: (index: number) => unknown,
): Promise<Figures> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const began = performance.now();
      try {
        await operation(index);
        latencies.push(performance.now() - began);
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return figures(latencies, (performance.now() - started) / 1000, errors);
}

/**
 * Sends at a fixed rate whatever the answers do (as independent clients would), for `seconds`,
 * in 10 ms ticks; at most `maxInFlight` outstanding, beyond which a tick's requests are shed.
 */
export async function openLoop(
  rate: number,
  seconds: number,
  maxInFlight: number,
  operation: (index: number) => Promise<unknown>,
): Promise<Figures> {
  const latencies: number[] = [];
  const pending = new Set<Promise<void>>();
  let errors = 0;
  let shed = 0;
  let sent = 0;
  const started = performance.now();
  const end = started + seconds * 1000;
  while (performance.now() < end) {
    const due = Math.floor(((performance.now() - started) / 1000) * rate);
    for (; sent < due; sent++) {
      if (pending.size >= maxInFlight) {
        shed++;
        continue;
      }
      const began = performance.now();
      const call: Promise<void> = operation(sent).then(
        () => void latencies.push(performance.now() - began),
        () => void errors++,
      );
      pending.add(call);
      void call.finally(() => pending.delete(call));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  return figures(latencies, (performance.now() - started) / 1000, errors, shed);
}
