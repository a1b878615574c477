import {
  ConfChangeInProgressError,
  InvalidConfChangeError,
  ProposalDroppedError,
} from '../../../core/errors';
import { SimCluster } from '../cluster';
import { checkOneLeader, leaderAmong, nCommitted, one } from '../harness';
import { KvClients } from '../kv-clients';

function waitApplied(cluster: SimCluster, index: number, count: number): void {
  expect(cluster.runUntil(() => cluster.appliedCount(index) >= count, 3000)).toBe(true);
}

describe('membership changes (one server at a time, with learners)', () => {
  it('under load: add a learner, promote it once caught up, then remove the old leader', () => {
    const cluster = new SimCluster({
      seed: 61,
      voters: 3,
      snapshotEvery: 20,
      raft: { maxLearnerLagForPromotion: 5 },
    });
    const clients = new KvClients(cluster, cluster.random.fork(), {
      clients: 2,
      keys: ['a', 'b'],
      timeoutMs: 1000,
      readRatio: 0.2,
      casRatio: 0.2,
      reads: 'read-index',
    });
    clients.start();
    cluster.runFor(500);
    cluster.addNode(4);
    cluster.links.isolate(4, cluster.ids()); // keep the learner behind at first
    let leader = checkOneLeader(cluster, [1, 2, 3]);
    const addLearner = cluster.proposeConfChange(leader, { type: 'add-learner', nodeId: 4 });
    waitApplied(cluster, addLearner.index, 3);
    cluster.runFor(300);
    // It has not caught up, so promotion is refused.
    leader = checkOneLeader(cluster, [1, 2, 3]);
    expect(() => cluster.proposeConfChange(leader, { type: 'add-voter', nodeId: 4 })).toThrow(
      InvalidConfChangeError,
    );
    cluster.links.reconnect(4, cluster.ids());
    expect(
      cluster.runUntil(() => {
        const current = leaderAmong(cluster, [1, 2, 3]);
        const progress = current === undefined ? undefined : cluster.rawNode(current)?.progress()?.get(4);
        return progress !== undefined && progress.match >= cluster.maxCommitted() - 2;
      }, 5000),
    ).toBe(true);
    expect(cluster.confState().learners).toEqual([4]);
    leader = checkOneLeader(cluster, [1, 2, 3]);
    const promote = cluster.proposeConfChange(leader, { type: 'add-voter', nodeId: 4 });
    waitApplied(cluster, promote.index, 4);
    expect(cluster.confState().voters).toEqual([1, 2, 3, 4]);

    // Remove the current leader; the other three elect a new one and keep serving.
    leader = checkOneLeader(cluster);
    const remove = cluster.proposeConfChange(leader, { type: 'remove-node', nodeId: leader });
    waitApplied(cluster, remove.index, 3);
    const rest = [1, 2, 3, 4].filter((id) => id !== leader);
    const next = checkOneLeader(cluster, rest);
    expect(rest).toContain(next);
    expect(cluster.confState().voters).toEqual(rest);
    cluster.runFor(500);
    clients.stop();
    cluster.crash(leader); // the removed node leaves
    const last = one(cluster, 'after-membership', 3);
    expect(nCommitted(cluster, last).count).toBeGreaterThanOrEqual(3);
    for (const id of rest) expect(cluster.appliedIndex(id)).toBeGreaterThanOrEqual(last);
    expect(clients.completed()).toBeGreaterThan(20);
  });

  it('a second membership change is refused while the first is unapplied', () => {
    const cluster = new SimCluster({ seed: 62, voters: 3 });
    cluster.addNode(4);
    cluster.addNode(5);
    const leader = checkOneLeader(cluster, [1, 2, 3]);
    cluster.proposeConfChange(leader, { type: 'add-learner', nodeId: 4 });
    expect(() => cluster.proposeConfChange(leader, { type: 'add-learner', nodeId: 5 })).toThrow(
      ConfChangeInProgressError,
    );
  });

  it('a joiner replaying the log from index 1 learns the founding members, not just later changes', () => {
    // Regression: founding membership used to live only in the bootstrap snapshot, so a joiner that
    // replayed the log believed it was alone after its own promotion and elected itself.
    const cluster = new SimCluster({ seed: 67, voters: 3 });
    one(cluster, 'before', 3);
    cluster.addNode(4);
    let leader = checkOneLeader(cluster, [1, 2, 3]);
    const add = cluster.proposeConfChange(leader, { type: 'add-learner', nodeId: 4 });
    waitApplied(cluster, add.index, 4);
    expect(cluster.rawNode(4)?.status().confState).toEqual({ voters: [1, 2, 3], learners: [4] });
    cluster.runFor(200);
    leader = checkOneLeader(cluster, [1, 2, 3]);
    const promote = cluster.proposeConfChange(leader, { type: 'add-voter', nodeId: 4 });
    waitApplied(cluster, promote.index, 4);
    expect(cluster.rawNode(4)?.status().confState).toEqual({ voters: [1, 2, 3, 4], learners: [] });
  });

  it('a new voter added directly (not as a learner) still gets the whole log', () => {
    const cluster = new SimCluster({ seed: 63, voters: 3, snapshotEvery: 10 });
    for (let i = 0; i < 25; i++) one(cluster, `pre${i}`, 3);
    cluster.addNode(4);
    const leader = checkOneLeader(cluster, [1, 2, 3]);
    const add = cluster.proposeConfChange(leader, { type: 'add-voter', nodeId: 4 });
    waitApplied(cluster, add.index, 4);
    const last = one(cluster, 'post', 4);
    expect(cluster.appliedIndex(4)).toBeGreaterThanOrEqual(last);
    expect(cluster.valueOf(4, 'k')).toBe('post');
  });
});

describe('leadership transfer (thesis §3.10)', () => {
  it('hands leadership to an up-to-date follower within an election timeout, dropping proposals meanwhile', () => {
    const cluster = new SimCluster({ seed: 64, voters: 3 });
    one(cluster, 'before', 3);
    const leader = checkOneLeader(cluster);
    const target = cluster.ids().find((id) => id !== leader) as number;
    const term = cluster.termOf(leader);
    cluster.transferLeadership(leader, target);
    expect(cluster.role(leader)).toBe('leader'); // until the target wins its election
    expect(() => cluster.proposeValue(leader, 'during')).toThrow(ProposalDroppedError);
    expect(cluster.runUntil(() => cluster.role(target) === 'leader', 100)).toBe(true);
    expect(cluster.termOf(target)).toBe(term + 1);
    one(cluster, 'after', 3);
  });

  it('a transfer to an unreachable node is abandoned after an election timeout and the leader stays', () => {
    const cluster = new SimCluster({ seed: 65, voters: 3 });
    one(cluster, 'before', 3);
    const leader = checkOneLeader(cluster);
    const target = cluster.ids().find((id) => id !== leader) as number;
    cluster.links.cutOneWay(leader, target);
    cluster.proposeValue(leader, 'unseen-by-target');
    cluster.transferLeadership(leader, target);
    expect(cluster.rawNode(leader)?.status().leadTransferee).toBe(target);
    cluster.runFor(250);
    expect(cluster.rawNode(leader)?.status().leadTransferee).toBe(0);
    expect(cluster.role(leader)).toBe('leader');
    cluster.links.healAll();
    one(cluster, 'after', 3);
  });

  it('a follower forwards the transfer request to the leader', () => {
    const cluster = new SimCluster({ seed: 66, voters: 3 });
    one(cluster, 'before', 3);
    const leader = checkOneLeader(cluster);
    const follower = cluster.ids().find((id) => id !== leader) as number;
    cluster.transferLeadership(follower, follower);
    expect(cluster.runUntil(() => cluster.role(follower) === 'leader', 200)).toBe(true);
  });
});
