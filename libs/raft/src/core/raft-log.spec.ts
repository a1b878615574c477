import { MemoryStorage } from '../storage/memory-storage';
import { RaftLog } from './raft-log';
import type { Entry } from './types';

const entry = (index: number, term: number): Entry => ({
  index,
  term,
  type: 'normal',
  data: new Uint8Array(0),
});

function logWithTerms(terms: number[]): RaftLog {
  const storage = new MemoryStorage();
  storage.append(terms.map((term, i) => entry(i + 1, term)));
  return new RaftLog(storage);
}

describe('RaftLog (paper §5.3 rules)', () => {
  it('findConflictByTerm skips a whole divergent term in one step (fast backtracking)', () => {
    // follower log terms: 1 1 1 4 4 4 4 ; leader probes at index 7 with term 5
    const log = logWithTerms([1, 1, 1, 4, 4, 4, 4]);
    expect(log.findConflictByTerm(7, 3)).toEqual({ index: 3, term: 1 });
    expect(log.findConflictByTerm(7, 5)).toEqual({ index: 7, term: 4 });
    expect(log.findConflictByTerm(7, 0)).toEqual({ index: 0, term: 0 });
  });

  it('maybeAppend rejects a mismatching (index, term) and truncates a conflicting suffix', () => {
    const log = logWithTerms([1, 1, 2]);
    expect(log.maybeAppend(3, 3, 0, [entry(4, 3)])).toBeUndefined();
    expect(log.maybeAppend(2, 1, 0, [entry(3, 3), entry(4, 3)])).toBe(4);
    expect(log.term(3)).toBe(3);
    expect(log.lastIndex()).toBe(4);
  });

  it('refuses to overwrite a committed entry', () => {
    const log = logWithTerms([1, 1, 2]);
    log.commitTo(3);
    expect(() => log.maybeAppend(2, 1, 3, [entry(3, 5)])).toThrow();
  });

  it('Figure 8: counting replicas commits only an entry of the current term', () => {
    const log = logWithTerms([1, 2]);
    expect(log.maybeCommit(2, 3)).toBe(false); // index 2 is from term 2, leader is in term 3
    expect(log.committed).toBe(0);
    log.append([entry(3, 3)]);
    expect(log.maybeCommit(3, 3)).toBe(true); // commits 3 and, by log matching, everything before
    expect(log.committed).toBe(3);
  });

  it('isUpToDate compares last term first, then length (§5.4.1)', () => {
    const log = logWithTerms([1, 2, 2]);
    expect(log.isUpToDate(1, 3)).toBe(true);
    expect(log.isUpToDate(5, 1)).toBe(false);
    expect(log.isUpToDate(3, 2)).toBe(true);
    expect(log.isUpToDate(2, 2)).toBe(false);
  });
});
