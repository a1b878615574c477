import { checkLinearizable, kvModel } from '@kailash/raft/testing';
import type { ChaosOperation, HistorySummary } from './history';
import { lostAcknowledgedWrites, type LostWrite } from './lost-writes';

export interface ChaosVerdict {
  readonly linearizable: boolean | 'unknown';
  /** The operations on the key whose history has no linearization, described one per line. */
  readonly counterexample: readonly string[];
  readonly lostWrites: readonly LostWrite[];
}

/**
 * Checks a chaos history with the Raft library's linearizability checker (Wing–Gong–Lowe search,
 * per key) and names acknowledged writes the final reads no longer show.
 */
export function checkChaosHistory(
  history: readonly ChaosOperation[],
  finalValues: ReadonlyMap<string, string | null>,
  maxSteps = 20_000_000,
): ChaosVerdict {
  const result = checkLinearizable(kvModel, history, { maxSteps });
  const counterexample =
    result.linearizable === false
      ? result.partition.map((op) => kvModel.describe?.(op) ?? JSON.stringify(op))
      : [];
  return {
    linearizable: result.linearizable,
    counterexample,
    lostWrites: lostAcknowledgedWrites(history, finalValues),
  };
}

export function verdictLine(verdict: ChaosVerdict, summary: HistorySummary): string {
  return `linearizable: ${verdict.linearizable}; lost acknowledged writes: ${verdict.lostWrites.length}; operations ${summary.operations} (completed ${summary.completed}, acknowledged writes ${summary.acknowledgedWrites}, unknown-outcome writes ${summary.unknownWrites}, failed reads ${summary.failedReads})`;
}
