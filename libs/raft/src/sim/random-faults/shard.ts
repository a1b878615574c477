import { runRandomFaultSeed } from '../random-fault-run';

/** How to replay one seed by hand (printed with every failure). */
export function replayCommand(seed: number): string {
  return `npm run soak:raft -- --from ${seed} --count 1 --verbose`;
}

/**
 * Runs seeds [from, to) of the randomised fault test as one Jest test. Split across files so Jest's
 * workers share the load; every failure names its seed and the replay command.
 */
export function describeSeedShard(from: number, to: number): void {
  it(`seeds ${from}..${to - 1}: no invariant or linearizability violation, and the healed cluster commits`, () => {
    const failures: string[] = [];
    let operations = 0;
    for (let seed = from; seed < to; seed++) {
      const result = runRandomFaultSeed(seed);
      operations += result.operations;
      if (!result.ok) failures.push(`seed ${seed} (${result.description}): ${result.error}\n  replay: ${replayCommand(seed)}`);
    }
    expect(failures).toEqual([]);
    // Guard against a vacuous pass: clients must actually have completed operations.
    expect(operations).toBeGreaterThan((to - from) * 50);
  });
}
