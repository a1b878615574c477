import { SimCluster } from '../cluster';
import { checkOneLeader, nCommitted, one } from '../harness';
import { KvClients } from '../kv-clients';
import { RELIABLE, UNRELIABLE } from '../network';

/** Crash/restart scenarios after the 6.824 lab 2C tests (Persist1-3, Figure 8, churn). */
describe('persistence across crashes', () => {
  it('persist 1: survives restarting everyone, the leader, and a follower', () => {
    const cluster = new SimCluster({ seed: 41, voters: 3 });
    one(cluster, '11', 3);
    for (const id of cluster.ids()) cluster.crash(id);
    for (const id of cluster.ids()) cluster.restart(id);
    one(cluster, '12', 3);

    const leader1 = checkOneLeader(cluster);
    cluster.crash(leader1);
    cluster.restart(leader1);
    one(cluster, '13', 3);

    const leader2 = checkOneLeader(cluster);
    cluster.crash(leader2);
    const index14 = one(cluster, '14', 2);
    cluster.restart(leader2);
    expect(cluster.runUntil(() => cluster.appliedIndex(leader2) >= index14, 3000)).toBe(true);

    const follower = cluster.ids().find((id) => id !== checkOneLeader(cluster)) as number;
    cluster.crash(follower);
    one(cluster, '15', 2);
    cluster.restart(follower);
    one(cluster, '16', 3);
  });

  it('persist 2: five nodes, repeated crashes of different majorities', () => {
    const cluster = new SimCluster({ seed: 42, voters: 5 });
    const n = 5;
    for (let iteration = 1; iteration <= 5; iteration++) {
      one(cluster, `${10 + iteration}a`, n);
      const leader1 = checkOneLeader(cluster);
      const at = (k: number): number => ((leader1 - 1 + k) % n) + 1;
      cluster.disconnect(at(1));
      cluster.disconnect(at(2));
      one(cluster, `${10 + iteration}b`, n - 2);
      for (const k of [0, 3, 4]) cluster.disconnect(at(k));
      for (const k of [1, 2]) {
        cluster.crash(at(k));
        cluster.restart(at(k));
        cluster.connect(at(k));
      }
      cluster.runFor(1000);
      cluster.crash(at(3));
      cluster.restart(at(3));
      cluster.connect(at(3));
      one(cluster, `${10 + iteration}c`, n - 2);
      cluster.connect(at(4));
      cluster.connect(at(0));
    }
    one(cluster, '1000', n);
  });

  it('persist 3: a partitioned leader and a crashed follower; committed entries survive', () => {
    const cluster = new SimCluster({ seed: 43, voters: 3 });
    one(cluster, '101', 3);
    const leader = checkOneLeader(cluster);
    const [f1, f2] = cluster.ids().filter((id) => id !== leader) as [number, number];
    cluster.disconnect(f2);
    one(cluster, '102', 2);
    cluster.crash(leader);
    cluster.crash(f1);
    cluster.connect(f2);
    cluster.restart(leader);
    one(cluster, '103', 2);
    cluster.restart(f1);
    one(cluster, '104', 3);
  });

  it('Figure 8: leaders crash right after proposing; the final command still commits everywhere', () => {
    const cluster = new SimCluster({ seed: 44, voters: 5 });
    const random = cluster.random.fork();
    one(cluster, 'first', 1);
    let up = 5;
    for (let iteration = 0; iteration < 300; iteration++) {
      let leader: number | undefined;
      for (const id of cluster.liveIds()) {
        try {
          cluster.proposeValue(id, `f${iteration}`);
          leader = id;
        } catch {
          // not the leader
        }
      }
      cluster.runFor(random.chance(0.1) ? random.nextInt(500) : random.nextInt(13));
      if (leader !== undefined && cluster.isAlive(leader)) {
        cluster.crash(leader);
        up--;
      }
      if (up < 3) {
        const id = random.nextInt(5) + 1;
        if (!cluster.isAlive(id)) {
          cluster.restart(id);
          up++;
        }
      }
    }
    for (const id of cluster.ids()) cluster.restart(id);
    one(cluster, 'last', 5);
  });

  it('Figure 8 on an unreliable network, with long reorderings after 200 rounds', () => {
    const cluster = new SimCluster({ seed: 45, voters: 5, network: UNRELIABLE });
    const random = cluster.random.fork();
    one(cluster, 'first', 1);
    let up = 5;
    const connected = new Set(cluster.ids());
    for (let iteration = 0; iteration < 300; iteration++) {
      if (iteration === 200) cluster.network = { ...UNRELIABLE, longDelayRate: 0.3, longDelayMaxMs: 2000 };
      let leader: number | undefined;
      for (const id of cluster.ids()) {
        try {
          cluster.proposeValue(id, `u${iteration}`);
          if (connected.has(id)) leader = id;
        } catch {
          // not the leader
        }
      }
      cluster.runFor(random.chance(0.1) ? random.nextInt(500) : random.nextInt(13));
      if (leader !== undefined && random.chance(0.5)) {
        cluster.disconnect(leader);
        connected.delete(leader);
        up--;
      }
      if (up < 3) {
        const id = random.nextInt(5) + 1;
        if (!connected.has(id)) {
          cluster.connect(id);
          connected.add(id);
          up++;
        }
      }
    }
    cluster.network = RELIABLE;
    cluster.links.healAll();
    one(cluster, 'last', 5, 10_000);
  });

  for (const unreliable of [false, true]) {
    it(`${unreliable ? 'unreliable' : 'reliable'} churn: every value a client saw committed is in the final log`, () => {
      const cluster = new SimCluster({
        seed: unreliable ? 47 : 46,
        voters: 5,
        network: unreliable ? UNRELIABLE : RELIABLE,
      });
      const random = cluster.random.fork();
      const clients = new KvClients(cluster, random.fork(), {
        clients: 3,
        keys: ['a', 'b', 'c'],
        timeoutMs: 1000,
        readRatio: 0,
        casRatio: 0,
        reads: 'read-index',
      });
      clients.start();
      for (let round = 0; round < 20; round++) {
        const id = random.nextInt(5) + 1;
        if (random.chance(0.2)) cluster.disconnect(id);
        if (random.chance(0.5)) {
          const restart = random.nextInt(5) + 1;
          cluster.restart(restart);
          cluster.connect(restart);
        }
        if (random.chance(0.2)) {
          const crash = random.nextInt(5) + 1;
          if (cluster.liveIds().length > 3) cluster.crash(crash);
        }
        cluster.runFor(random.chance(0.1) ? 700 : 70);
      }
      clients.stop();
      cluster.network = RELIABLE;
      cluster.links.healAll();
      for (const id of cluster.ids()) cluster.restart(id);
      one(cluster, 'end', 5);
      cluster.runFor(1000); // operations still in flight when the clients stopped may commit after 'end'
      const finalValues = new Set<string>();
      for (let i = 1; i <= cluster.maxCommitted(); i++) finalValues.add(nCommitted(cluster, i).value ?? '');
      expect(clients.acknowledgedWrites.length).toBeGreaterThan(10);
      for (const value of clients.acknowledgedWrites) expect(finalValues.has(value)).toBe(true);
    });
  }
});
