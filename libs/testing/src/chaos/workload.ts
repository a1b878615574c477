import type { ChaosInput, ChaosOutput, HistoryRecorder } from './history';

/** The register store under test, as one client connection sees it. */
export interface ChaosKv {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
  /** Sets `value` if the key currently holds `expected` (null: absent); true when it did. */
  cas(key: string, expected: string | null, value: string): Promise<boolean>;
}

export interface WorkloadOptions {
  readonly keys: readonly string[];
  readonly readRatio: number;
  readonly casRatio: number;
  /** A number in [0, 1), seeded by the caller so a run can be repeated. */
  readonly random: () => number;
  /** Pause between a client's operations, to bound the history the checker has to search. */
  readonly thinkMs: number;
}

/**
 * Closed-loop clients: each runs one operation at a time against its own connection until
 * `running()` turns false. Every written value is unique, so a read names the write it saw; a CAS
 * expects the value the client last read for that key.
 */
export async function runClients(
  connections: readonly ChaosKv[],
  recorder: HistoryRecorder,
  options: WorkloadOptions,
  running: () => boolean,
): Promise<void> {
  await Promise.all(
    connections.map(async (kv, clientId) => {
      const lastSeen = new Map<string, string | null>();
      for (let n = 0; running(); n++) {
        const input = nextInput(options, clientId, n, lastSeen);
        const output = await recorder.record(clientId, input, () => execute(kv, input));
        if (input.op === 'get' && output && 'value' in output) lastSeen.set(input.key, output.value);
        if (options.thinkMs > 0) await new Promise((resolve) => setTimeout(resolve, options.thinkMs));
      }
    }),
  );
}

function nextInput(
  options: WorkloadOptions,
  clientId: number,
  n: number,
  lastSeen: ReadonlyMap<string, string | null>,
): ChaosInput {
  const key = options.keys[Math.floor(options.random() * options.keys.length)] as string;
  const dice = options.random();
  const value = `c${clientId}-${n}`;
  if (dice < options.readRatio) return { op: 'get', key };
  if (dice < options.readRatio + options.casRatio)
    return { op: 'cas', key, expected: lastSeen.get(key) ?? null, value };
  return { op: 'put', key, value };
}

export async function execute(kv: ChaosKv, input: ChaosInput): Promise<ChaosOutput> {
  switch (input.op) {
    case 'get':
      return { value: await kv.get(input.key) };
    case 'put':
      await kv.put(input.key, input.value);
      return {};
    case 'cas':
      return { ok: await kv.cas(input.key, input.expected, input.value) };
  }
}
