import { MemoryStorage } from '../storage/memory-storage';
import type { RaftConfig } from './config';
import { SeededRandom } from './random';
import { RawNode } from './raw-node';
import type { Message } from './types';

/** Tests tied to sentences of the Raft paper (after etcd's raft_paper_test.go). */

function newNode(
  id: number,
  voters: number[],
  options: Partial<RaftConfig> = {},
): { node: RawNode; storage: MemoryStorage } {
  const storage = MemoryStorage.bootstrap({ voters, learners: [] });
  const node = new RawNode(
    { id, random: new SeededRandom(id), preVote: false, checkQuorum: false, ...options },
    storage,
  );
  drain(node, storage);
  return { node, storage };
}

/** Persists and returns the messages of every pending Ready. */
function drain(node: RawNode, storage: MemoryStorage): Message[] {
  const out: Message[] = [];
  while (node.hasReady()) {
    const ready = node.ready();
    storage.append(ready.entries);
    if (ready.hardState) storage.setHardState(ready.hardState);
    out.push(...ready.messages);
    node.advance(ready);
  }
  return out;
}

describe('Raft paper §5.1–§5.4', () => {
  it('§5.1 "If a server receives a request with a stale term number, it rejects the request"', () => {
    const { node, storage } = newNode(1, [1, 2, 3]);
    node.step({ type: 'heartbeat', from: 2, to: 1, term: 5, commit: 0 });
    drain(node, storage);
    node.step({ type: 'vote', from: 3, to: 1, term: 4, index: 10, logTerm: 4 });
    expect(drain(node, storage).filter((m) => m.type === 'vote-resp' && !m.reject)).toEqual([]);
    expect(node.status().term).toBe(5);
  });

  it('§5.1 "If a candidate or leader discovers that its term is out of date, it immediately reverts to follower"', () => {
    const { node, storage } = newNode(1, [1]);
    node.campaign();
    drain(node, storage);
    expect(node.status().role).toBe('leader');
    node.step({
      type: 'app',
      from: 2,
      to: 1,
      term: node.status().term + 1,
      index: 0,
      logTerm: 0,
      entries: [],
      commit: 0,
    });
    expect(node.status().role).toBe('follower');
    expect(node.status().lead).toBe(2);
  });

  it('§5.2 "Each server will vote for at most one candidate in a given term, on a first-come-first-served basis"', () => {
    const { node, storage } = newNode(1, [1, 2, 3]); // log: the 3 bootstrap entries of term 1
    node.step({ type: 'vote', from: 2, to: 1, term: 3, index: 3, logTerm: 1 });
    node.step({ type: 'vote', from: 3, to: 1, term: 3, index: 3, logTerm: 1 });
    const answers = drain(node, storage).filter((m) => m.type === 'vote-resp');
    expect(answers.map((m) => [m.to, m.reject])).toEqual([
      [2, false],
      [3, true],
    ]);
    expect(storage.initialState().hardState.vote).toBe(2); // the vote is durable before it is sent
  });

  it('§5.2 "A candidate wins an election if it receives votes from a majority of the servers"', () => {
    const { node, storage } = newNode(1, [1, 2, 3, 4, 5]);
    node.campaign();
    const requests = drain(node, storage).filter((m) => m.type === 'vote');
    expect(requests.map((m) => m.to).sort()).toEqual([2, 3, 4, 5]);
    const term = node.status().term;
    node.step({ type: 'vote-resp', from: 2, to: 1, term, reject: false });
    expect(node.status().role).toBe('candidate');
    node.step({ type: 'vote-resp', from: 3, to: 1, term, reject: false });
    expect(node.status().role).toBe('leader');
  });

  it('§5.2 a candidate that a majority rejects returns to follower', () => {
    const { node, storage } = newNode(1, [1, 2, 3]);
    node.campaign();
    drain(node, storage);
    const term = node.status().term;
    node.step({ type: 'vote-resp', from: 2, to: 1, term, reject: true });
    node.step({ type: 'vote-resp', from: 3, to: 1, term, reject: true });
    expect(node.status().role).toBe('follower');
  });

  it('§5.4.1 "the voter denies its vote if its own log is more up-to-date than that of the candidate"', () => {
    const { node, storage } = newNode(1, [1, 2, 3]);
    // After the 3 bootstrap entries, give node 1 an entry of term 2 at index 4 (from leader 2).
    const entry = { term: 2, index: 4, type: 'normal' as const, data: new Uint8Array([1]) };
    node.step({ type: 'app', from: 2, to: 1, term: 2, index: 3, logTerm: 1, entries: [entry], commit: 3 });
    drain(node, storage);
    node.step({ type: 'vote', from: 3, to: 1, term: 3, index: 9, logTerm: 1 }); // longer log, older term
    node.step({ type: 'vote', from: 2, to: 1, term: 4, index: 4, logTerm: 2 }); // as up to date
    const answers = drain(node, storage).filter((m) => m.type === 'vote-resp');
    expect(answers.map((m) => [m.to, m.reject])).toEqual([
      [3, true],
      [2, false],
    ]);
  });

  it('§5.3 the follower refuses entries whose preceding (index, term) it does not hold, with a backtracking hint', () => {
    const { node, storage } = newNode(1, [1, 2, 3]);
    const entry = { term: 3, index: 6, type: 'normal' as const, data: new Uint8Array([1]) };
    node.step({ type: 'app', from: 2, to: 1, term: 3, index: 5, logTerm: 3, entries: [entry], commit: 1 });
    const [answer] = drain(node, storage).filter((m) => m.type === 'app-resp');
    // Our log ends at index 3 (term 1): the hint lets the leader jump straight there.
    expect(answer).toMatchObject({ reject: true, index: 5, rejectHint: 3, logTerm: 1 });
    expect(storage.lastIndex()).toBe(3);
  });

  it('§5.3 "the leader ... sends AppendEntries RPCs to each of the other servers" with the new entry', () => {
    const { node, storage } = newNode(1, [1, 2, 3]);
    node.campaign();
    const term = node.status().term;
    drain(node, storage);
    for (const from of [2, 3]) node.step({ type: 'vote-resp', from, to: 1, term, reject: false });
    drain(node, storage);
    for (const from of [2, 3])
      node.step({ type: 'app-resp', from, to: 1, term, index: node.status().lastIndex });
    drain(node, storage);
    const { index } = node.propose(new TextEncoder().encode('cmd'));
    const appends = drain(node, storage).filter((m) => m.type === 'app');
    expect(appends.map((m) => m.to).sort()).toEqual([2, 3]);
    for (const m of appends) expect(m.entries?.map((e) => e.index)).toEqual([index]);
  });
});
