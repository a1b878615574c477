import { runSeedRange } from '../random-fault-run';

// Shard 3 of 4: the 1,000 seeds are split across files so Jest's workers share them.
describe('randomised fault test', () => {
  it('seeds 501..750: no invariant or linearizability violation; the healed cluster commits', () => {
    const { failures, operations } = runSeedRange(501, 751);
    expect(failures).toEqual([]);
    expect(operations).toBeGreaterThan((751 - 501) * 50); // clients really ran
  }, 600_000); // synchronous and CPU-bound: ~20 s on an idle 2-core machine, more when it is shared
});
