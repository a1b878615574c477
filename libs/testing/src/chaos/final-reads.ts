import type { HistoryRecorder } from './history';
import type { ChaosKv } from './workload';

/**
 * After the faults healed and the clients stopped: one linearizable read of every key, retried
 * until it answers, recorded in the history like any other read.
 */
export async function readFinalValues(
  kv: ChaosKv,
  keys: readonly string[],
  recorder: HistoryRecorder,
  clientId: number,
  timeoutMs: number,
  sleep: (ms: number) => Promise<void>,
): Promise<Map<string, string | null>> {
  const values = new Map<string, string | null>();
  const deadline = Date.now() + timeoutMs;
  for (const key of keys) {
    for (;;) {
      const output = await recorder.record(clientId, { op: 'get', key }, async () => ({
        value: await kv.get(key),
      }));
      if (output && 'value' in output) {
        values.set(key, output.value);
        break;
      }
      if (Date.now() > deadline) throw new Error(`final read of ${key}: no answer within ${timeoutMs} ms`);
      await sleep(100);
    }
  }
  return values;
}
