import { Raft } from '../../../core/raft';
import { SimCluster, type CoreFactory } from '../cluster';
import { InvariantViolation } from '../invariants';
import { one } from '../harness';
import { RELIABLE } from '../network';
import { runSeedRange } from '../random-fault-run';

/** The bug Figure 8 warns about: counting replicas of an entry from an earlier term. */
class CommitWithoutCurrentTermRule extends Raft {
  protected override maybeCommit(): boolean {
    const index = this.tracker.committed();
    if (index <= this.log.committed) return false;
    this.log.commitTo(index);
    return true;
  }
}

const brokenCore: CoreFactory = (config, storage) => new CommitWithoutCurrentTermRule(config, storage);

/**
 * The paper's Figure 8, scripted step by step on 5 nodes. Elections are started by hand (timeouts are
 * far away) and links are cut at exact moments, so one entry per message travels as the figure shows.
 */
function figure8(createCore?: CoreFactory): SimCluster {
  const cluster = new SimCluster({
    seed: 8,
    voters: 5,
    network: { ...RELIABLE, minDelayMs: 2, maxDelayMs: 2 },
    raft: { preVote: false, checkQuorum: false, electionTick: 1000, maxSizePerMsg: 1 },
    ...(createCore ? { createCore } : {}),
  });
  const campaign = (id: number): void => cluster.withNode(id, (raw) => raw.campaign());
  const cut = (from: number, to: number[]): void => to.forEach((t) => cluster.links.cutOneWay(from, t));
  const expectLeader = (id: number): void => {
    expect(cluster.runUntil(() => cluster.role(id) === 'leader', 100)).toBe(true);
  };

  campaign(1);
  expectLeader(1);
  one(cluster, 'init', 5);

  // (a) S1 leads and replicates entry i only to S2.
  cut(1, [3, 4, 5]);
  const { index: i } = cluster.proposeValue(1, 'x');
  cluster.runFor(20);

  // (b) S1 crashes; S5 wins with S3, S4 and appends its own entry at i, which reaches nobody.
  cluster.crash(1);
  cluster.links.cutBothWays(2, 5);
  campaign(5);
  expectLeader(5);
  cut(5, [1, 2, 3, 4]);
  cluster.runFor(20);
  cluster.crash(5);

  // (c) S1 restarts and wins with S2, S3; it copies its old-term entry i to S3, but not its new entry.
  cluster.restart(1);
  cluster.links.restoreBothWays(1, 3);
  campaign(1);
  cluster.runFor(20);
  if (cluster.role(1) !== 'leader') campaign(1);
  expectLeader(1);
  cluster.runUntil(() => cluster.rawNode(1)?.progress()?.get(3)?.match === i, 100);
  cut(1, [2, 3]);
  cluster.runFor(20);

  // (d) S1 crashes again; S5 (last term newer than S3's and S4's) can win and overwrite entry i.
  cluster.crash(1);
  cluster.restart(5);
  for (const id of [2, 3, 4]) cluster.links.restoreBothWays(5, id);
  for (let attempt = 0; attempt < 3 && cluster.role(5) !== 'leader'; attempt++) {
    campaign(5);
    cluster.runFor(20);
  }
  expectLeader(5);
  one(cluster, 'after', 4);
  return cluster;
}

describe('a deliberately broken variant is caught', () => {
  it('the correct core survives the Figure 8 script (entry i was never committed, so S5 may overwrite it)', () => {
    const cluster = figure8();
    expect(cluster.role(5)).toBe('leader');
  });

  it('committing without the current-term rule is caught by the leader-completeness check', () => {
    expect(() => figure8(brokenCore)).toThrow(InvariantViolation);
    expect(() => figure8(brokenCore)).toThrow(/leader completeness|state-machine safety/);
  });
});

describe('the randomised fault test has teeth', () => {
  it('reads served from local state instead of ReadIndex are caught as non-linearizable, with a replay command', () => {
    const { failures } = runSeedRange(1, 6, { reads: 'local' });
    expect(failures.length).toBeGreaterThanOrEqual(4);
    for (const failure of failures) {
      expect(failure).toMatch(/not linearizable/);
      expect(failure).toMatch(
        /replay: npm run soak:raft -- --from \d+ --count 1 --verbose --variant local-reads/,
      );
    }
  });
});
