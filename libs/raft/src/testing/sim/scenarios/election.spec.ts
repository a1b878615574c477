import { SimCluster } from '../cluster';
import { checkNoLeader, checkOneLeader, leaderAmong, one } from '../harness';
import { RELIABLE } from '../network';

/** Election scenarios after the 6.824 lab 2A tests and etcd's prevote/checkquorum scripts. */
describe('leader election', () => {
  it('initial election: one leader, terms agree, no term change while idle', () => {
    const cluster = new SimCluster({ seed: 11, voters: 3 });
    const leader = checkOneLeader(cluster);
    cluster.runFor(100);
    const terms = cluster.ids().map((id) => cluster.termOf(id));
    expect(new Set(terms).size).toBe(1);
    const term = cluster.termOf(leader);
    cluster.runFor(2000);
    expect(cluster.termOf(leader)).toBe(term);
    expect(checkOneLeader(cluster)).toBe(leader);
  });

  it('re-election: a new leader after the old one leaves; no leader without a quorum', () => {
    const cluster = new SimCluster({ seed: 12, voters: 3 });
    const leader1 = checkOneLeader(cluster);
    cluster.disconnect(leader1);
    const others = cluster.ids().filter((id) => id !== leader1);
    const leader2 = checkOneLeader(cluster, others);
    expect(leader2).not.toBe(leader1);

    // The old leader rejoins: it must not disturb the new one.
    cluster.connect(leader1);
    cluster.runFor(1000);
    expect(checkOneLeader(cluster)).toBe(leader2);

    // Without a quorum nobody can lead.
    const follower = others.find((id) => id !== leader2) as number;
    cluster.disconnect(leader2);
    cluster.disconnect(follower);
    cluster.runFor(2000);
    checkNoLeader(cluster, [leader1]);

    cluster.connect(follower);
    checkOneLeader(cluster, [leader1, follower]);
    cluster.connect(leader2);
    checkOneLeader(cluster);
  });

  it('many elections: 7 nodes, a leader always exists among any 4 connected', () => {
    const cluster = new SimCluster({ seed: 13, voters: 7 });
    checkOneLeader(cluster);
    for (let round = 0; round < 9; round++) {
      const ids = cluster.ids();
      const cut = new Set<number>();
      while (cut.size < 3) cut.add(cluster.random.pick(ids));
      for (const id of cut) cluster.disconnect(id);
      checkOneLeader(
        cluster,
        ids.filter((id) => !cut.has(id)),
      );
      for (const id of cut) cluster.connect(id);
    }
    checkOneLeader(cluster);
  });

  it('check-quorum: an isolated leader steps down within two election timeouts', () => {
    const cluster = new SimCluster({ seed: 14, voters: 3 });
    const leader = checkOneLeader(cluster);
    cluster.disconnect(leader);
    // electionTick 10 × 10 ms: the leader notices after at most 2 × 100 ms.
    cluster.runFor(200);
    expect(cluster.role(leader)).toBe('follower');
  });

  it('pre-vote: a rejoining partitioned node does not disrupt the leader or bump the term', () => {
    const cluster = new SimCluster({ seed: 15, voters: 3 });
    const leader = checkOneLeader(cluster);
    const loner = cluster.ids().find((id) => id !== leader) as number;
    cluster.disconnect(loner);
    cluster.runFor(3000); // many election timeouts: without pre-vote its term would climb
    const term = cluster.termOf(leader);
    expect(cluster.termOf(loner)).toBe(term);
    cluster.connect(loner);
    cluster.runFor(2000);
    expect(leaderAmong(cluster, cluster.ids())).toBe(leader);
    expect(cluster.termOf(leader)).toBe(term);
  });

  it('without pre-vote and check-quorum, the same rejoin does disrupt (why the defaults are on)', () => {
    const cluster = new SimCluster({ seed: 15, voters: 3, raft: { preVote: false, checkQuorum: false } });
    const leader = checkOneLeader(cluster);
    const loner = cluster.ids().find((id) => id !== leader) as number;
    const term = cluster.termOf(leader);
    cluster.disconnect(loner);
    cluster.runFor(3000);
    expect(cluster.termOf(loner)).toBeGreaterThan(term + 5);
    cluster.connect(loner);
    cluster.runFor(2000);
    expect(cluster.termOf(checkOneLeader(cluster))).toBeGreaterThan(term + 5);
  });

  it('partially connected node: leader stays put and the cluster keeps committing', () => {
    // Only the link leader <-> victim is cut (the Cloudflare 2020 shape); victim still reaches the third node.
    const cluster = new SimCluster({ seed: 16, voters: 3 });
    const leader = checkOneLeader(cluster);
    const [victim, bridge] = cluster.ids().filter((id) => id !== leader) as [number, number];
    cluster.links.cutBothWays(leader, victim);
    const term = cluster.termOf(leader);
    for (let i = 0; i < 10; i++) {
      one(cluster, `v${i}`, 2);
      cluster.runFor(300);
    }
    expect(leaderAmong(cluster, cluster.ids())).toBe(leader);
    expect(cluster.termOf(leader)).toBe(term);
    expect(cluster.termOf(bridge)).toBe(term);
  });

  it('asymmetric partition: a leader that can send but not receive is replaced', () => {
    const cluster = new SimCluster({ seed: 17, voters: 3 });
    const leader = checkOneLeader(cluster);
    for (const id of cluster.ids()) if (id !== leader) cluster.links.cutOneWay(id, leader);
    // Its heartbeats still arrive, so followers stay quiet, but check-quorum makes it step down.
    cluster.runFor(300);
    expect(cluster.role(leader)).not.toBe('leader');
    const others = cluster.ids().filter((id) => id !== leader);
    const next = checkOneLeader(cluster, others);
    expect(others).toContain(next);
    one(cluster, 'after-asymmetric', 2);
  });

  it('dueling candidates (etcd): two candidates of one term, the shared voter decides, the loser follows', () => {
    const cluster = new SimCluster({
      seed: 18,
      voters: 3,
      network: { ...RELIABLE, minDelayMs: 2, maxDelayMs: 2 },
      raft: { preVote: false, checkQuorum: false, electionTick: 1000 },
    });
    cluster.runFor(20); // apply the bootstrap entries
    cluster.links.cutBothWays(1, 3);
    cluster.withNode(1, (raw) => raw.campaign());
    cluster.withNode(3, (raw) => raw.campaign());
    cluster.runFor(50);
    expect(cluster.termOf(1)).toBe(cluster.termOf(3)); // same term: node 2 can vote only once
    expect([cluster.role(1), cluster.role(3)].sort()).toEqual(['candidate', 'leader']);
    cluster.links.healAll();
    one(cluster, 'after-duel', 3);
    expect(cluster.leaders()).toHaveLength(1);
  });

  it('a stuck candidate is freed (etcd FreeStuckCandidateWithCheckQuorum): its higher term is adopted', () => {
    const cluster = new SimCluster({ seed: 19, voters: 3, raft: { preVote: false, checkQuorum: true } });
    const leader = checkOneLeader(cluster);
    const loner = cluster.ids().find((id) => id !== leader) as number;
    cluster.disconnect(loner);
    cluster.runFor(2000);
    expect(cluster.role(loner)).toBe('candidate');
    const stuckTerm = cluster.termOf(loner);
    expect(stuckTerm).toBeGreaterThan(cluster.termOf(leader));
    cluster.connect(loner);
    // Its votes are ignored (the others are in their leader lease), but its reply to the leader's
    // next heartbeat carries the higher term, the leader steps down, and a new election follows.
    cluster.runFor(1000);
    expect(cluster.role(loner)).not.toBe('candidate');
    const next = checkOneLeader(cluster, cluster.ids(), 3000);
    expect(cluster.termOf(next)).toBeGreaterThanOrEqual(stuckTerm);
    one(cluster, 'freed', 3);
  });
});
