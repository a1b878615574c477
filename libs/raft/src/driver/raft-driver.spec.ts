import { decodeConfChange } from '../core/conf-change';
import { DriverFailedError, RaftError } from '../core/errors';
import { SeededRandom } from '../core/random';
import { RawNode } from '../core/raw-node';
import type { Entry, Message } from '../core/types';
import { MemoryStorage } from '../storage/memory-storage';
import { RaftDriver } from './raft-driver';
import { DriverCluster, type AppliedRecord } from './testing/driver-cluster';
import { checkPersistedBeforeSend, SentBeforePersisted } from './testing/durability';

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const THREE = { voters: [1, 2, 3], learners: [] };

/** Within one incarnation, entries follow the start or the restored snapshot one index at a time. */
function expectEachEntryOnceInOrder(callbacks: readonly AppliedRecord[]): void {
  let expected = 0;
  for (const record of callbacks) {
    if (record.kind === 'entry') {
      expect(record.index).toBe(expected + 1);
    } else if (record.kind === 'snapshot') {
      expect(record.index).toBeGreaterThan(expected);
    }
    expected = record.index;
  }
}

function runWorkload(seed: number): DriverCluster {
  const cluster = new DriverCluster({ voters: 3, seed, snapshotEvery: 4, duplicateRate: 0.2 });
  const random = new SeededRandom(seed);
  expect(cluster.runUntil(() => cluster.leader() !== undefined)).toBe(true);
  for (let i = 0; i < 30; i++) {
    if (random.chance(0.15)) {
      const victim = random.pick([1, 2, 3]);
      cluster.crash(victim);
      cluster.runUntil(() => false, 5);
      cluster.restart(victim);
    }
    cluster.runUntil(() => cluster.leader() !== undefined);
    cluster.proposeOnLeader(`v${i}`);
    cluster.runUntil(() => false, 1 + random.nextInt(3));
  }
  return cluster;
}

describe('RaftDriver', () => {
  it('sends nothing before what it promises is persisted (terms, granted votes, carried and acknowledged entries)', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const cluster = runWorkload(seed); // every send is checked against its sender's storage
      expect(cluster.checkedPromises.get('granted vote')).toBeGreaterThan(0);
      expect(cluster.checkedPromises.get('entries')).toBeGreaterThan(0);
      expect(cluster.checkedPromises.get('ack')).toBeGreaterThan(0);
    }
  });

  it('the send-time check catches a loop that sends before persisting', () => {
    const storage = MemoryStorage.bootstrap(THREE);
    const node = new RawNode({ id: 1, random: new SeededRandom(1), preVote: false }, storage);
    const bootstrap = node.ready(); // the founding membership: applied before a node may campaign
    for (const entry of bootstrap.committedEntries) node.applyConfChange(decodeConfChange(entry.data));
    node.advance(bootstrap);
    node.campaign();
    const ready = node.ready();
    const vote = ready.messages.find((message) => message.type === 'vote') as Message;
    expect(() => checkPersistedBeforeSend(storage, vote)).toThrow(SentBeforePersisted);
    storage.save(ready);
    expect(checkPersistedBeforeSend(storage, vote)).toBe('term');
  });

  it('hands each committed entry to the application exactly once, in order, across snapshots and restarts', () => {
    for (let seed = 1; seed <= 10; seed++) {
      const cluster = runWorkload(seed);
      const leader = cluster.leader() as number;
      const committed = cluster.driver(leader).node.status().commit;
      cluster.runUntil(() => [...cluster.nodes.values()].every((node) => node.appliedIndex >= committed));
      const histories = [...cluster.nodes.values()].map((node) => {
        expectEachEntryOnceInOrder(node.callbacks);
        return node.values;
      });
      for (const values of histories) {
        expect(values).toEqual(histories[0]);
        expect(new Set(values).size).toBe(values.length);
      }
      expect(histories[0]?.length).toBeGreaterThan(20);
    }
  });

  it('restores a snapshot when a follower fell behind a compacted log, then continues after it', () => {
    const cluster = new DriverCluster({ voters: 3, seed: 5, snapshotEvery: 3 });
    cluster.runUntil(() => cluster.leader() !== undefined);
    const leader = cluster.leader() as number;
    const follower = [1, 2, 3].find((id) => id !== leader) as number;
    cluster.crash(follower);
    for (let i = 0; i < 10; i++) {
      cluster.proposeOnLeader(`v${i}`);
      cluster.deliverAll();
    }
    cluster.restart(follower);
    cluster.proposeOnLeader('after');
    expect(cluster.runUntil(() => cluster.node(follower).values.at(-1) === 'after')).toBe(true);
    const callbacks = cluster.node(follower).callbacks;
    expect(callbacks.some((record) => record.kind === 'snapshot')).toBe(true);
    expectEachEntryOnceInOrder(callbacks);
    expect(cluster.node(follower).values).toEqual(cluster.node(leader).values);
  });

  it('passes conf-change entries with the configuration they produced, applied to the node first', () => {
    const cluster = new DriverCluster({ voters: 3, seed: 2 });
    const bootstrap = cluster.node(1).callbacks.filter((record) => record.kind === 'entry');
    expect(bootstrap.map((record) => record.index)).toEqual([1, 2, 3]);
    expect(bootstrap.at(-1)).toMatchObject({ confState: THREE });
    expect(cluster.driver(1).node.status().confState).toEqual(THREE);
  });

  it('a crash between persisting a vote and sending it is safe: the vote survives and binds the restarted node', () => {
    const cluster = new DriverCluster({ voters: 3, seed: 3, raft: { preVote: false, electionTick: 1000 } });
    cluster.driver(1).campaign();
    const term = cluster.driver(1).node.status().term;
    cluster.failNextSend(2, new Error('power lost after fsync'));
    expect(() => cluster.deliverAll()).toThrow('power lost after fsync');

    expect(cluster.driver(2).failed).toBeInstanceOf(DriverFailedError);
    expect(() => cluster.driver(2).tick()).toThrow(DriverFailedError);
    expect(cluster.sent.filter((message) => message.from === 2)).toEqual([]);
    expect(cluster.node(2).storage.initialState().hardState).toMatchObject({ term, vote: 1 });

    cluster.crash(2);
    cluster.restart(2);
    expect(cluster.driver(2).node.status()).toMatchObject({ term, vote: 1 });
    const storage = cluster.node(2).storage;
    const rival: Message = {
      type: 'vote',
      from: 3,
      to: 2,
      term,
      index: storage.lastIndex(),
      logTerm: storage.term(storage.lastIndex()),
    };
    cluster.driver(2).step(rival);
    expect(cluster.sent.filter((message) => message.from === 2 && message.to === 3).at(-1)).toMatchObject({
      type: 'vote-resp',
      term,
      reject: true,
    });

    // The messages the crash swallowed are simply lost: the cluster elects and commits as usual.
    cluster.driver(1).campaign();
    expect(cluster.runUntil(() => cluster.leader() !== undefined)).toBe(true);
    cluster.proposeOnLeader('x');
    expect(
      cluster.runUntil(() => [...cluster.nodes.values()].every((node) => node.values.includes('x'))),
    ).toBe(true);
  });

  it('an input made from inside a callback is handled by the running loop, after the current Ready', () => {
    const storage = MemoryStorage.bootstrap({ voters: [1], learners: [] });
    const applied: string[] = [];
    const driver: RaftDriver = new RaftDriver({
      node: new RawNode({ id: 1, random: new SeededRandom(1) }, storage),
      storage,
      transport: { send: () => undefined },
      application: {
        restoreSnapshot: () => undefined,
        applyEntry: (entry: Entry) => {
          const value = decoder.decode(entry.data);
          if (entry.type === 'normal' && value !== '') applied.push(value);
          if (value === 'ping') driver.propose(encoder.encode('pong'));
        },
      },
    });
    driver.drain();
    driver.campaign();
    driver.propose(encoder.encode('ping'));
    expect(applied).toEqual(['ping', 'pong']);
    expect(driver.node.status().applied).toBe(storage.lastIndex());
  });

  it('refuses asynchronous storage instead of sending before the write completes', () => {
    const storage = MemoryStorage.bootstrap(THREE);
    const sent: Message[] = [];
    const driver = new RaftDriver({
      node: new RawNode({ id: 1, random: new SeededRandom(1), preVote: false }, storage),
      storage: { save: () => Promise.resolve() as unknown as void },
      transport: { send: (messages) => sent.push(...messages) },
      application: { restoreSnapshot: () => undefined, applyEntry: () => undefined },
    });
    expect(() => driver.drain()).toThrow(RaftError);
    expect(() => driver.campaign()).toThrow(DriverFailedError);
    expect(sent).toEqual([]);
  });
});
