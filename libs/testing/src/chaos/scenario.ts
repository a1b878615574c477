import { performance } from 'node:perf_hooks';
import type { ChaosVerdict } from './check';
import { checkChaosHistory } from './check';
import type { ChaosCluster, FaultKind, FaultRun } from './fault-schedule';
import { runFaults } from './fault-schedule';
import { readFinalValues } from './final-reads';
import { HistoryRecorder, type ChaosOperation, type HistorySummary } from './history';
import type { ChaosKv } from './workload';
import { runClients } from './workload';

export interface ChaosConnection extends ChaosKv {
  close(): Promise<void>;
}

export interface ChaosScenarioOptions {
  readonly cluster: ChaosCluster;
  readonly connect: () => Promise<ChaosConnection>;
  readonly clients: number;
  readonly keys: readonly string[];
  readonly kinds: readonly FaultKind[];
  /** Stop injecting after this many faults or this long, whichever comes first. */
  readonly maxFaults: number;
  readonly durationMs: number;
  readonly downMs: number;
  readonly pauseMs: number;
  readonly healMs: number;
  readonly random: () => number;
  readonly thinkMs?: number;
  readonly readRatio?: number;
  readonly casRatio?: number;
  /** The clock of the history: milliseconds, monotonic, shared with any other recorder merged in. */
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** How long the cluster may take to elect its first leader, and any later one before a fault. */
  readonly leaderTimeoutMs?: number;
  /** Operations recorded elsewhere on the same clock (a client in another process), checked too. */
  readonly external?: () => readonly ChaosOperation[];
}

export interface ChaosScenarioResult {
  readonly faults: FaultRun;
  readonly summary: HistorySummary;
  readonly verdict: ChaosVerdict;
  readonly checkMs: number;
  readonly wallMs: number;
  /** Everything the checker saw (kept only as long as the caller keeps the result). */
  readonly history: readonly ChaosOperation[];
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Clients run put / CAS / get while faults are injected one after another; after the last heal
 * the clients stop, every key is read once more, and the whole history goes to the checker.
 */
export async function runChaosScenario(options: ChaosScenarioOptions): Promise<ChaosScenarioResult> {
  const now = options.now ?? (() => performance.now());
  const sleep = options.sleep ?? realSleep;
  await untilLeader(options.cluster, options.leaderTimeoutMs ?? 60_000, sleep);
  const started = now();
  const recorder = new HistoryRecorder(now);
  const connections = await Promise.all(Array.from({ length: options.clients }, () => options.connect()));
  let clientsRunning = true;
  try {
    const clients = runClients(
      connections,
      recorder,
      {
        keys: options.keys,
        readRatio: options.readRatio ?? 0.4,
        casRatio: options.casRatio ?? 0.3,
        random: options.random,
        thinkMs: options.thinkMs ?? 0,
      },
      () => clientsRunning,
    );
    const faults = await runFaults(
      options.cluster,
      { ...options, leaderWaitMs: options.leaderTimeoutMs ?? 20_000, now, sleep },
      (injected) => injected < options.maxFaults && now() - started < options.durationMs,
    );
    clientsRunning = false;
    await clients;
    const reader = connections[0] as ChaosConnection;
    const finalValues = await readFinalValues(reader, options.keys, recorder, options.clients, 60_000, sleep);
    const checkStarted = performance.now();
    const history = [...recorder.operations(), ...(options.external?.() ?? [])];
    const verdict = checkChaosHistory(history, finalValues);
    return {
      faults,
      summary: recorder.summary(),
      verdict,
      checkMs: performance.now() - checkStarted,
      wallMs: now() - started,
      history,
    };
  } finally {
    clientsRunning = false;
    await Promise.all(connections.map((c) => c.close()));
  }
}

async function untilLeader(cluster: ChaosCluster, timeoutMs: number, sleep: (ms: number) => Promise<void>) {
  const deadline = Date.now() + timeoutMs;
  while ((await cluster.leader()) === undefined) {
    if (Date.now() > deadline) throw new Error(`no leader within ${timeoutMs} ms`);
    await sleep(100);
  }
}
