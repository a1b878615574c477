import { runSeedRange } from '../random-fault-run';

// Shard 1 of 4: the 1,000 seeds are split across files so Jest's workers share them.
describe('randomised fault test', () => {
  it('seeds 1..250: no invariant or linearizability violation; the healed cluster commits', () => {
    const { failures, operations } = runSeedRange(1, 251);
    expect(failures).toEqual([]);
    expect(operations).toBeGreaterThan((251 - 1) * 50); // clients really ran
  }, 600_000); // synchronous and CPU-bound: ~20 s on an idle 2-core machine, more when it is shared
});
