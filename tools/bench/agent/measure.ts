import { percentile } from '../report';

export interface Figures {
  readonly ops: number;
  readonly opsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly errors: number;
  /** Open loop only: requests not sent because too many were in flight. */
  readonly shed: number;
  /** Failed requests per error code (or the error's name when it has no code). */
  readonly errorCodes: Readonly<Record<string, number>>;
}

const codeOf = (error: unknown): string =>
  String((error as { code?: unknown })?.code ?? (error as Error)?.name ?? 'unknown');

function figures(latencies: number[], seconds: number, failures: readonly string[], shed = 0): Figures {
  const errorCodes: Record<string, number> = {};
  for (const code of failures) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
  const errors = failures.length;
  return {
    ops: latencies.length,
    opsPerSecond: latencies.length / seconds,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    errors,
    shed,
    errorCodes,
  };
}

/** `count` operations by `concurrency` workers, each waiting for its answer before the next. */
export async function closedLoop(
  count: number,
  concurrency: number,
  operation: (index: number) => unknown,
): Promise<Figures> {
  const latencies: number[] = [];
  const failures: string[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < count) {
      const index = next++;
      const began = performance.now();
      try {
        await operation(index);
        latencies.push(performance.now() - began);
      } catch (error) {
        failures.push(codeOf(error));
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return figures(latencies, (performance.now() - started) / 1000, failures);
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
  const failures: string[] = [];
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
        (error: unknown) => void failures.push(codeOf(error)),
      );
      pending.add(call);
      void call.finally(() => pending.delete(call));
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(pending);
  return figures(latencies, (performance.now() - started) / 1000, failures, shed);
}
