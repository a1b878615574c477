import { MemoryStorage } from '../storage/memory-storage';
import { BackpressureError, ConfigError, InvalidMessageError, NotLeaderError } from './errors';
import { SeededRandom } from './random';
import type { RaftConfig } from './config';
import { RawNode, type Ready } from './raw-node';
import type { Message } from './types';

/** A tiny hand-driven cluster for unit tests tied to specific rules. */
const disks = new WeakMap<RawNode, MemoryStorage>();

function makeCluster(size: number, options: Partial<RaftConfig> = {}): Map<number, RawNode> {
  const voters = Array.from({ length: size }, (_, i) => i + 1);
  const nodes = new Map<number, RawNode>();
  for (const id of voters) {
    const storage = MemoryStorage.bootstrap({ voters, learners: [] });
    const node = new RawNode({ id, random: new SeededRandom(id), ...options }, storage);
    disks.set(node, storage);
    nodes.set(id, node);
  }
  // Like an application starting up: handle the first Ready (the bootstrap membership entries).
  settle(nodes);
  return nodes;
}

/** Delivers messages until the cluster is quiet; storage is MemoryStorage persisted on each Ready. */
function settle(
  nodes: Map<number, RawNode>,
  storages = new Map<number, Ready[]>(),
  deliver: (m: Message) => boolean = () => true,
): void {
  const queue: Message[] = [];
  const drain = (id: number): void => {
    const node = nodes.get(id) as RawNode;
    while (node.hasReady()) {
      const ready = node.ready();
      const disk = disks.get(node) as MemoryStorage;
      disk.append(ready.entries);
      if (ready.hardState) disk.setHardState(ready.hardState);
      const list = storages.get(id) ?? [];
      list.push(ready);
      storages.set(id, list);
      queue.push(...ready.messages);
      node.advance(ready);
    }
  };
  for (const id of nodes.keys()) drain(id);
  while (queue.length > 0) {
    const message = queue.shift() as Message;
    if (!deliver(message)) continue;
    nodes.get(message.to)?.step(message);
    drain(message.to);
  }
}

describe('RawNode', () => {
  it('a follower answers a proposal with NotLeaderError carrying the leader hint', () => {
    const nodes = makeCluster(3);
    (nodes.get(1) as RawNode).campaign();
    settle(nodes);
    expect(nodes.get(1)?.status().role).toBe('leader');
    const follower = nodes.get(2) as RawNode;
    expect(() => follower.propose(new Uint8Array([1]))).toThrow(NotLeaderError);
    try {
      follower.propose(new Uint8Array([1]));
    } catch (error) {
      expect((error as NotLeaderError).leaderHint).toBe(1);
    }
  });

  it('a node that knows no leader gives hint 0', () => {
    const nodes = makeCluster(3);
    try {
      nodes.get(2)?.propose(new Uint8Array([1]));
      throw new Error('expected NotLeaderError');
    } catch (error) {
      expect(error).toBeInstanceOf(NotLeaderError);
      expect((error as NotLeaderError).leaderHint).toBe(0);
    }
  });

  it('refuses proposals beyond the uncommitted-bytes cap with BackpressureError', () => {
    const nodes = makeCluster(3, { maxUncommittedEntriesSize: 1000 });
    const leader = nodes.get(1) as RawNode;
    leader.campaign();
    settle(nodes);
    // Followers are unreachable from here on: nothing commits, bytes pile up.
    leader.propose(new Uint8Array(600));
    expect(() => leader.propose(new Uint8Array(600))).toThrow(BackpressureError);
    leader.propose(new Uint8Array(300)); // still fits under the cap
  });

  it('ReadIndex on a follower is forwarded and answered at the leader’s commit index', () => {
    const nodes = makeCluster(3);
    nodes.get(1)?.campaign();
    settle(nodes);
    nodes.get(1)?.propose(new TextEncoder().encode('x'));
    settle(nodes);
    const readies = new Map<number, Ready[]>();
    nodes.get(3)?.readIndex('ctx-1');
    settle(nodes, readies);
    const readStates = (readies.get(3) ?? []).flatMap((r) => r.readStates);
    expect(readStates).toEqual([{ index: nodes.get(1)?.status().commit, context: 'ctx-1' }]);
  });

  it('refuses local-only message types from the network', () => {
    const node = makeCluster(1).get(1) as RawNode;
    expect(() => node.step({ type: 'hup', from: 2, to: 1, term: 0 })).toThrow(InvalidMessageError);
  });

  it('rejects invalid configuration', () => {
    const storage = MemoryStorage.bootstrap({ voters: [1], learners: [] });
    const random = new SeededRandom(1);
    expect(() => new RawNode({ id: 0, random }, storage)).toThrow(ConfigError);
    expect(() => new RawNode({ id: 1, random, electionTick: 1, heartbeatTick: 1 }, storage)).toThrow(
      ConfigError,
    );
    expect(
      () => new RawNode({ id: 1, random, readOnlyOption: 'lease-based', checkQuorum: false }, storage),
    ).toThrow(ConfigError);
  });

  it('a single voter elects itself and commits immediately', () => {
    const node = makeCluster(1).get(1) as RawNode;
    node.campaign();
    const { index } = node.propose(new Uint8Array([9]));
    const ready = node.ready();
    expect(ready.softState?.role).toBe('leader');
    expect(ready.committedEntries.map((e) => e.index)).toContain(index);
    expect(ready.mustSync).toBe(true);
  });

  it('a new leader defers ReadIndex until an entry of its own term commits (thesis §6.4)', () => {
    const nodes = makeCluster(3);
    const leader = nodes.get(1) as RawNode;
    leader.campaign();
    // Votes and heartbeats flow (a quorum would confirm leadership), appends do not (the no-op cannot commit).
    const noAppends = (m: Message): boolean => m.type !== 'app' && m.type !== 'app-resp';
    settle(nodes, new Map(), noAppends);
    expect(leader.status().role).toBe('leader');
    const readies = new Map<number, Ready[]>();
    leader.readIndex('early');
    leader.tick(); // a heartbeat round with the read's context goes out and is acknowledged
    settle(nodes, readies, noAppends);
    expect((readies.get(1) ?? []).flatMap((r) => r.readStates)).toEqual([]);
    leader.tick(); // now appends flow: the no-op commits and the deferred read is served
    settle(nodes, readies);
    expect((readies.get(1) ?? []).flatMap((r) => r.readStates)).toEqual([
      { index: leader.status().commit, context: 'early' },
    ]);
  });

  it('lease-based reads (opt-in) answer on the leader without a heartbeat round', () => {
    const nodes = makeCluster(3, { readOnlyOption: 'lease-based' });
    const leader = nodes.get(1) as RawNode;
    leader.campaign();
    settle(nodes);
    leader.readIndex('lease');
    const ready = leader.ready();
    expect(ready.readStates).toEqual([{ index: leader.status().commit, context: 'lease' }]);
    expect(ready.messages.filter((m) => m.type === 'heartbeat')).toEqual([]);
  });

  it('pipelining stops at maxInflightMsgs appends to a follower that does not answer', () => {
    const nodes = makeCluster(3, { maxInflightMsgs: 2 });
    const leader = nodes.get(1) as RawNode;
    leader.campaign();
    settle(nodes);
    expect(leader.progress()?.get(2)?.state).toBe('replicate');
    const toFollower2: Message[] = [];
    // Node 2 goes silent; node 3 keeps acknowledging, so entries still commit.
    for (let i = 0; i < 10; i++) {
      leader.propose(new Uint8Array([i]));
      settle(nodes, new Map(), (m) => {
        if (m.to === 2 && m.type === 'app') toFollower2.push(m);
        return m.to !== 2 && m.from !== 2;
      });
    }
    expect(toFollower2.filter((m) => (m.entries?.length ?? 0) > 0)).toHaveLength(2);
    expect(leader.status().commit).toBe(leader.status().lastIndex);
  });
});
