import type { ChaosScenarioOptions, ChaosScenarioResult } from '@kailash/testing';

/**
 * Repeats a scenario on fresh keys until the time is up and adds the rounds together. Keys of one
 * round are never touched by another, so checking each round's history on its own checks the
 * whole run (linearizability is compositional per key), and the checker's search stays small.
 */
export async function runRounds(
  durationMs: number,
  round: (index: number) => Omit<ChaosScenarioOptions, 'keys'> & { keys: readonly string[] },
  run: (options: ChaosScenarioOptions) => Promise<ChaosScenarioResult>,
  onRound: (index: number, result: ChaosScenarioResult) => void,
): Promise<ChaosScenarioResult> {
  const started = Date.now();
  const results: ChaosScenarioResult[] = [];
  for (let index = 0; index === 0 || Date.now() - started < durationMs; index++) {
    const result = await run(round(index));
    onRound(index, result);
    // Keep the figures, not the operations: a long run's history would not fit in memory.
    results.push({ ...result, history: [] });
  }
  return combine(results);
}

function combine(results: readonly ChaosScenarioResult[]): ChaosScenarioResult {
  const sum = (pick: (r: ChaosScenarioResult) => number) => results.reduce((total, r) => total + pick(r), 0);
  const verdicts = results.map((r) => r.verdict.linearizable);
  const linearizable = verdicts.includes(false) ? false : verdicts.includes('unknown') ? 'unknown' : true;
  return {
    faults: {
      faults: results.flatMap((r) => r.faults.faults),
      skippedNoLeader: sum((r) => r.faults.skippedNoLeader),
    },
    summary: {
      operations: sum((r) => r.summary.operations),
      completed: sum((r) => r.summary.completed),
      acknowledgedWrites: sum((r) => r.summary.acknowledgedWrites),
      unknownWrites: sum((r) => r.summary.unknownWrites),
      failedReads: sum((r) => r.summary.failedReads),
    },
    verdict: {
      linearizable,
      counterexample: results.flatMap((r) => r.verdict.counterexample),
      lostWrites: results.flatMap((r) => r.verdict.lostWrites),
    },
    checkMs: sum((r) => r.checkMs),
    wallMs: sum((r) => r.wallMs),
    history: [],
  };
}
