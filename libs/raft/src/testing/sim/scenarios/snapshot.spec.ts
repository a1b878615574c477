import { SimCluster } from '../cluster';
import { checkOneLeader, one } from '../harness';
import { RELIABLE, UNRELIABLE, type NetworkFaults } from '../network';

/** Snapshot scenarios after the 6.824 lab 2D tests; small chunks so InstallSnapshot streams many. */
const SNAPSHOT_EVERY = 10;
const raft = { snapshotChunkSize: 64 };

function snapshotCluster(seed: number, network: NetworkFaults = RELIABLE): SimCluster {
  return new SimCluster({ seed, voters: 3, network, snapshotEvery: SNAPSHOT_EVERY, raft });
}

describe('snapshots and InstallSnapshot', () => {
  it('snapshot basic: logs stay short while commands keep committing', () => {
    const cluster = snapshotCluster(51);
    for (let i = 0; i < 60; i++) one(cluster, `b${i}`, 3);
    for (const id of cluster.ids()) expect(cluster.logLength(id)).toBeLessThanOrEqual(2 * SNAPSHOT_EVERY);
    expect(cluster.sentCount('snap')).toBe(0); // nobody lagged, so nothing needed installing
  });

  const variants: { name: string; seed: number; network: NetworkFaults; crash: boolean }[] = [
    { name: 'install', seed: 52, network: RELIABLE, crash: false },
    { name: 'install on an unreliable network', seed: 53, network: UNRELIABLE, crash: false },
    { name: 'install after a crash', seed: 54, network: RELIABLE, crash: true },
    { name: 'install after a crash, unreliable network', seed: 55, network: UNRELIABLE, crash: true },
  ];
  for (const variant of variants) {
    it(`${variant.name}: a lagging node catches up through chunked InstallSnapshot`, () => {
      const cluster = snapshotCluster(variant.seed, variant.network);
      one(cluster, 'start', 3);
      for (let iteration = 0; iteration < 10; iteration++) {
        const leader = checkOneLeader(cluster);
        const victim = cluster.ids().find((id) => id !== leader) as number;
        if (variant.crash) cluster.crash(victim);
        else cluster.disconnect(victim);
        for (let i = 0; i < SNAPSHOT_EVERY + 1; i++) {
          try {
            cluster.proposeValue(leader, `v${iteration}-${i}-${'p'.repeat(40)}`, `key${i}`);
          } catch {
            break;
          }
        }
        one(cluster, `w${iteration}`, 2);
        if (variant.crash) cluster.restart(victim);
        else cluster.connect(victim);
        one(cluster, `x${iteration}`, 3);
        expect(cluster.appliedIndex(victim)).toBeGreaterThanOrEqual(cluster.maxCommitted() - 1);
      }
      // 64-byte chunks of a multi-hundred-byte state: each install took several chunks.
      expect(cluster.sentCount('snap')).toBeGreaterThan(10);
      expect(cluster.sentCount('snap-resp')).toBeGreaterThan(0);
    });
  }

  it('all crash: everyone restarts from their snapshot and the log keeps growing', () => {
    const cluster = snapshotCluster(56);
    let last = one(cluster, 'start', 3);
    for (let iteration = 0; iteration < 5; iteration++) {
      for (let i = 0; i < SNAPSHOT_EVERY + 1; i++) one(cluster, `a${iteration}-${i}`, 3);
      for (const id of cluster.ids()) cluster.crash(id);
      for (const id of cluster.ids()) cluster.restart(id);
      const index = one(cluster, `after${iteration}`, 3);
      expect(index).toBeGreaterThan(last);
      last = index;
    }
  });

  it('init: a node restarted twice from a snapshot with nothing after it still works', () => {
    const cluster = snapshotCluster(57);
    for (let i = 0; i < SNAPSHOT_EVERY + 1; i++) one(cluster, `i${i}`, 3);
    for (const id of cluster.ids()) cluster.crash(id);
    for (const id of cluster.ids()) cluster.restart(id);
    for (const id of cluster.ids()) cluster.crash(id);
    for (const id of cluster.ids()) cluster.restart(id);
    one(cluster, 'init', 3);
    for (const id of cluster.ids()) expect(cluster.valueOf(id, 'k')).toBe('init');
  });
});
