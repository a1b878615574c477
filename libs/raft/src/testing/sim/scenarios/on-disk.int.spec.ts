import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SimCluster } from '../cluster';
import { checkOneLeader, one } from '../harness';

/**
 * The simulator with every node on a real DiskStorage: each restart runs WAL + snapshot-file
 * recovery, and InstallSnapshot lands in snapshot files. Invariants are checked as everywhere else.
 */
describe('simulated cluster on real disks (DiskStorage)', () => {
  let directory: string;
  let cluster: SimCluster | undefined;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'raft-sim-disk-'));
  });
  afterEach(() => {
    cluster?.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('crashes and restarts through WAL recovery, with snapshots and InstallSnapshot', () => {
    const sim = new SimCluster({
      seed: 71,
      voters: 3,
      diskDirectory: directory,
      snapshotEvery: 10,
      raft: { snapshotChunkSize: 64 },
    });
    cluster = sim;
    one(sim, 'a', 3);
    for (const id of sim.ids()) sim.crash(id);
    for (const id of sim.ids()) sim.restart(id);
    one(sim, 'b', 3);

    // A follower misses many entries while down, so it must be brought back by InstallSnapshot.
    const leader = checkOneLeader(sim);
    const victim = sim.ids().find((id) => id !== leader) as number;
    sim.crash(victim);
    for (let i = 0; i < 30; i++) one(sim, `c${i}-${'p'.repeat(30)}`, 2);
    sim.restart(victim);
    one(sim, 'd', 3);
    expect(sim.sentCount('snap')).toBeGreaterThan(0);
    expect(sim.valueOf(victim, 'k')).toBe('d');

    // Everyone down at once, then up again: the state comes back from disk.
    for (const id of sim.ids()) sim.crash(id);
    for (const id of sim.ids()) sim.restart(id);
    const last = one(sim, 'e', 3);
    for (const id of sim.ids()) expect(sim.appliedIndex(id)).toBeGreaterThanOrEqual(last);
  });

  it('a node added later joins from an empty directory', () => {
    const sim = new SimCluster({ seed: 72, voters: 3, diskDirectory: directory });
    cluster = sim;
    one(sim, 'a', 3);
    sim.addNode(4);
    const leader = checkOneLeader(sim, [1, 2, 3]);
    const add = sim.proposeConfChange(leader, { type: 'add-learner', nodeId: 4 });
    expect(sim.runUntil(() => sim.appliedCount(add.index) === 4, 3000)).toBe(true);
    sim.crash(4);
    sim.restart(4);
    one(sim, 'b', 4);
    expect(sim.rawNode(4)?.status().confState).toEqual({ voters: [1, 2, 3], learners: [4] });
  });
});
