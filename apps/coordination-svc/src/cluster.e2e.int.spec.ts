import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import { CoordinationClient, CoordPut, CoordSessionOpen } from '@kailash/coordination-client';
import type { CoordClusterView } from '@kailash/contracts';
import { SubjectSpace } from '@kailash/contracts';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  eventually,
  uniqueName,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { REPLICA_API_KEY, REPLICA_AUTH, ReplicaGroup, waitUntilReady } from '../test/replica-process';

const ROOT = join(__dirname, '..', '..', '..');
// Bounds for what this file waits on (a build, processes, elections); generous for a loaded
// machine, none of them a speed assertion.
const BUILD_MS = 120_000;
const READY_MS = 30_000;
const CONVERGE_MS = 20_000;

/** Small snapshot thresholds, so a replica that misses a few dozen writes catches up by snapshot. */
const FAST_ENV = {
  COORD_TICK_MS: '20',
  COORD_ELECTION_TICKS: '10',
  COORD_SNAPSHOT_ENTRIES: '40',
  COORD_SNAPSHOT_KEEP: '5',
};

async function clusterOf(url: string): Promise<CoordClusterView> {
  const response = await fetch(`${url}/cluster`, { headers: REPLICA_AUTH });
  if (response.status !== 200) throw new Error(`GET ${url}/cluster: ${response.status}`);
  return (await response.json()) as CoordClusterView;
}

async function localValue(url: string, key: string): Promise<string | null> {
  const response = await fetch(`${url}/kv/key/${encodeURIComponent(key)}?consistency=serializable`, {
    headers: REPLICA_AUTH,
  });
  if (response.status !== 200) return null;
  const body = (await response.json()) as { kv: { value: string } | null };
  return body.kv?.value ?? null;
}

describe('coordination-svc: a Raft group of real replica processes on real NATS', () => {
  const namespace = uniqueName('coord');
  let group: ReplicaGroup;
  let nc: NatsConnection;
  let client: CoordinationClient;

  const leaderId = async (): Promise<number> => {
    const view = await eventually(
      'a leader',
      () => client.cluster(),
      (v) => v.leader !== 0,
      CONVERGE_MS,
    );
    return view.leader;
  };

  beforeAll(
    async () => {
      const main = await builtAppMain('coordination-svc', ROOT, BUILD_MS);
      group = new ReplicaGroup(main, namespace, FAST_ENV);
      for (const id of [1, 2, 3]) await group.start({ id, peers: [1, 2, 3] });
      await Promise.all(group.all().map((replica) => replica.process.ready(READY_MS)));
      nc = await connectTestNats('coord-cluster-test');
      client = new CoordinationClient(
        new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY }),
      );
    },
    BUILD_MS + READY_MS + 10_000,
  );

  afterAll(async () => {
    await group?.stopAll();
    if (nc) {
      await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
      await nc.close();
    }
  }, 30_000);

  it('elects one leader that every replica names, and replicates a write to all three', async () => {
    const leader = await leaderId();
    const views = await Promise.all(group.all().map((replica) => clusterOf(replica.url)));
    expect(views.map((view) => view.leader)).toEqual([leader, leader, leader]);
    expect(views.filter((view) => view.role === 'leader').map((view) => view.self)).toEqual([leader]);

    const put = await client.put('greeting', 'hello', { prevKv: true });
    expect(put.prevKv).toBeUndefined();
    expect(await client.get('greeting')).toMatchObject({ value: 'hello', version: 1 });
    for (const replica of group.all())
      await eventually(
        `greeting on ${replica.id}`,
        () => localValue(replica.url, 'greeting'),
        (v) => v === 'hello',
        CONVERGE_MS,
      );
  }, 60_000);

  it('answers a compare-and-set once per session sequence, also when a retry repeats it', async () => {
    expect(await client.compareAndSet('cas', null, 'v1')).toBe(true);
    expect(await client.compareAndSet('cas', null, 'v2')).toBe(false);
    expect(await client.compareAndSet('cas', 'v1', 'v2')).toBe(true);
    // The same session sequence sent twice (as a retry after a lost answer would): applied once.
    const requests = new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY });
    const opened = await requests.send(CoordSessionOpen, { ttlMs: 30_000 });
    const session = { clientId: opened.clientId, seq: 1 };
    const first = await requests.send(CoordPut, { key: 'once', value: 'a', session });
    // Even with other content, a repeated sequence is answered from the session, not applied again.
    const retry = await requests.send(CoordPut, { key: 'once', value: 'b', session });
    expect(retry).toEqual(first);
    expect(await client.get('once')).toMatchObject({ value: 'a', version: 1 });
  }, 60_000);

  it("expires a lease on the leader's clock, deleting its key, and publishes the fact once on COORD", async () => {
    const lease = await client.grantLease(1_000);
    await client.put('ephemeral', 'here', { lease: lease.id });
    expect(await client.get('ephemeral')).toMatchObject({ lease: lease.id });
    await eventually(
      'ephemeral deleted by expiry',
      () => client.get('ephemeral'),
      (kv) => kv === null,
      CONVERGE_MS,
    );
    expect((await client.leaseInfo(lease.id)).lease).toBeNull();
    const jsm = await jetstreamManager(nc);
    const stream = new SubjectSpace(namespace).stream('coord');
    const types = await eventually(
      'the lease facts on COORD',
      async () => {
        const info = await jsm.streams.info(stream);
        const seen: string[] = [];
        for (let seq = info.state.first_seq; seq <= info.state.last_seq; seq++) {
          const message = await jsm.streams.getMessage(stream, { seq });
          if (!message) continue;
          const event = message.json<{ type: string; data: { fact: { lease?: { id: number } } } }>();
          if (event.data.fact?.lease?.id === lease.id) seen.push(event.type);
        }
        return seen;
      },
      (seen) => seen.includes('coord.lease.expired'),
      CONVERGE_MS,
    );
    expect(types).toEqual(['coord.lease.granted', 'coord.lease.expired']);
  }, 60_000);

  it('restarts a follower from its WAL; after missing many writes it catches up by snapshot', async () => {
    const leader = await leaderId();
    const follower = group.all().find((replica) => replica.id !== leader);
    if (!follower) throw new Error('no follower');
    await follower.process.crash();
    for (let i = 0; i < 120; i++) await client.put(`bulk/${i}`, `v${i}`);
    const leaderView = await clusterOf(group.get(leader).url);
    expect(leaderView.snapshots.count).toBeGreaterThan(0);
    expect(leaderView.firstIndex).toBeGreaterThan(1);

    group.restart(follower.id);
    await follower.process.ready(READY_MS);
    await eventually(
      `bulk/119 on ${follower.id}`,
      () => localValue(follower.url, 'bulk/119'),
      (v) => v === 'v119',
      CONVERGE_MS,
    );
    // Written before the crash, so read back from its own WAL or the snapshot that covers it.
    expect(await localValue(follower.url, 'greeting')).toBe('hello');
    const view = await clusterOf(follower.url);
    expect(view.snapshots.installed).toBeGreaterThan(0);
  }, 90_000);

  it('adds a fourth replica as a learner, promotes it once caught up, then removes another member', async () => {
    await group.start({ id: 4 });
    await client.addLearner(4);
    await eventually(
      'replica 4 caught up as a learner',
      () => client.cluster(),
      (view) => view.members.some((m) => m.id === 4 && m.role === 'learner' && (m.lag ?? Infinity) <= 2),
      CONVERGE_MS,
    );
    await client.promote(4);
    const leader = await leaderId();
    const removed = [1, 2, 3].find((id) => id !== leader) as number;
    await client.removeMember(removed);
    const view = await eventually(
      'membership {4 in, one removed}',
      () => client.cluster(),
      (v) =>
        v.members.some((m) => m.id === 4 && m.role === 'voter') && !v.members.some((m) => m.id === removed),
      CONVERGE_MS,
    );
    expect(view.members.filter((m) => m.role === 'voter')).toHaveLength(3);
    await group.get(removed).process.crash();
    await client.put('after-membership', 'ok');
    await eventually(
      'after-membership on 4',
      () => localValue(group.get(4).url, 'after-membership'),
      (v) => v === 'ok',
      CONVERGE_MS,
    );
    await waitUntilReady(group.get(4).url, READY_MS);
  }, 90_000);

  it('elects a new leader when the leader is killed, and the KV keeps answering', async () => {
    const old = await leaderId();
    await group.get(old).process.crash();
    await client.put('after-failover', 'yes');
    const leader = await leaderId();
    expect(leader).not.toBe(old);
    expect(await client.get('after-failover')).toMatchObject({ value: 'yes' });
    expect(await client.get('bulk/7')).toMatchObject({ value: 'v7' });
  }, 60_000);
});
