import { HistoryBuffer } from './history-buffer';
import type { HistoryRow } from './history-rows';
import { factRows } from './history-rows';
import { ProjectionProgress } from './projection-progress';

const leader = (index: number): HistoryRow => ({ kind: 'leader', index, term: index, leader: 1 });

describe('HistoryBuffer', () => {
  it('keeps rows in log order and covers entries that have none', () => {
    const buffer = new HistoryBuffer(0, 100);
    buffer.applied(1, [leader(1)]);
    buffer.applied(2, []);
    buffer.advance(5);
    expect(buffer.covered).toBe(5);
    expect(buffer.take().map((row) => row.index)).toEqual([1]);
    expect(buffer.size).toBe(0);
  });

  it('turns a snapshot installed past the seen log into one gap row', () => {
    const buffer = new HistoryBuffer(10, 100);
    buffer.applied(11, [leader(11)]);
    buffer.jumped(40, 'snapshot');
    buffer.jumped(30, 'older snapshot');
    expect(buffer.take()).toEqual([leader(11), { kind: 'gap', index: 12, toIndex: 40, reason: 'snapshot' }]);
    expect(buffer.covered).toBe(40);
  });

  it('puts a boot gap in front of rows already waiting, and none when nothing is missing', () => {
    const buffer = new HistoryBuffer(20, 100);
    buffer.applied(21, [leader(21)]);
    buffer.missing(21, 20, 'nothing');
    buffer.missing(6, 20, 'before the snapshot');
    expect(buffer.take().map((row) => [row.kind, row.index])).toEqual([
      ['gap', 6],
      ['leader', 21],
    ]);
  });

  it('returns rows that failed to be written to the front, before newer ones', () => {
    const buffer = new HistoryBuffer(0, 100);
    buffer.applied(1, [leader(1)]);
    const taken = buffer.take();
    buffer.applied(2, [leader(2)]);
    buffer.restore(taken);
    expect(buffer.take().map((row) => row.index)).toEqual([1, 2]);
  });

  it('gives way to one gap over the waiting rows past its bound, never growing without end', () => {
    const buffer = new HistoryBuffer(0, 3);
    for (let index = 1; index <= 5; index++) buffer.applied(index, [leader(index)]);
    const [gap, ...rest] = buffer.take();
    expect(gap).toMatchObject({ kind: 'gap', index: 1, toIndex: 4 });
    expect(rest).toEqual([leader(5)]);
  });
});

describe('factRows', () => {
  it('files each fact under its lease and name, in the entry order, with the entry time', () => {
    const lease = { id: 7, holder: 'a', ttlMs: 1000, grantedAt: 5, expiresAt: 1005 };
    const owner = { name: 'jobs', key: 'k', lease: 7, token: 3 };
    const rows = factRows(
      9,
      [
        { type: 'lease.expired', lease, deletedKeys: 1 },
        { type: 'lock.released', owner },
        { type: 'election.vacant', name: 'sched', term: 2 },
        { type: 'session.closed', clientId: 7 },
      ],
      1234,
    );
    expect(rows.map((row) => row.kind === 'fact' && [row.position, row.type, row.leaseId, row.name])).toEqual(
      [
        [0, 'lease.expired', 7, null],
        [1, 'lock.released', 7, 'jobs'],
        [2, 'election.vacant', null, 'sched'],
        [3, 'session.closed', 7, null],
      ],
    );
    expect(rows[1]).toMatchObject({ index: 9, at: 1234, fact: { owner } });
  });
});

describe('ProjectionProgress', () => {
  it('is stalled only while behind and no write succeeded for the stall time', () => {
    const progress = new ProjectionProgress(1000);
    expect(progress.stalledFor(50_000)).toBe(0);
    progress.waiting(10_000);
    expect(progress.stalledFor(10_999)).toBe(0);
    expect(progress.stalledFor(11_500)).toBe(1500);
    progress.wrote(11_600, false);
    expect(progress.stalledFor(12_000)).toBe(0);
    expect(progress.stalledFor(12_600)).toBe(1000);
    progress.wrote(12_700, true);
    expect(progress.stalledFor(99_000)).toBe(0);
  });

  it('counts an idle time before new work as keeping up', () => {
    const progress = new ProjectionProgress(1000);
    progress.wrote(1_000, true);
    progress.waiting(60_000);
    expect(progress.stalledFor(60_500)).toBe(0);
  });
});
