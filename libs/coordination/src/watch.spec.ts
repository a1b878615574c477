import { encodeProposal } from './codec';
import { watchHistory } from './queries';
import { CoordinationStateMachine } from './state-machine';
import { Scenario, T0 } from './test/scenario';

describe('watch events and history, given / when / then', () => {
  it('emits each change to the listener in order, with prevKv', () => {
    const s = new Scenario();
    s.ok({ op: 'put', key: 'a', value: '1' });
    s.ok({ op: 'put', key: 'a', value: '2' });
    s.ok({ op: 'delete', range: { key: 'a' } });
    const events = s.applied.flatMap((applied) => applied.events);
    expect(events.map((event) => [event.type, event.revision, event.kv.value, event.prevKv?.value])).toEqual([
      ['PUT', 1, '1', undefined],
      ['PUT', 2, '2', '1'],
      ['DELETE', 3, '', '2'],
    ]);
    expect(events[2]?.kv).toEqual({
      key: 'a',
      value: '',
      createRevision: 0,
      modRevision: 3,
      version: 0,
      lease: 0,
    });
  });

  it('resumes a watch from a revision, filtered by key range', () => {
    const s = new Scenario();
    s.ok({ op: 'put', key: 'cfg/a', value: '1' });
    s.ok({ op: 'put', key: 'other', value: '1' });
    s.ok({ op: 'put', key: 'cfg/b', value: '1' });
    s.ok({ op: 'put', key: 'cfg/a', value: '2' });
    const read = watchHistory(s.state, 2, { prefix: 'cfg/' });
    expect(read).toMatchObject({ ok: true, revision: 4 });
    expect(read.ok && read.events.map((event) => [event.kv.key, event.revision])).toEqual([
      ['cfg/b', 3],
      ['cfg/a', 4],
    ]);
    expect(watchHistory(s.state, 5, { prefix: '' })).toEqual({ ok: true, events: [], revision: 4 });
  });

  it('tells a watcher from before the compaction that it was compacted', () => {
    const s = new Scenario();
    for (const value of ['1', '2', '3', '4']) s.ok({ op: 'put', key: 'a', value });
    expect(s.ok({ op: 'compact', revision: 3 })).toMatchObject({ compactRevision: 3, revision: 4 });
    expect(watchHistory(s.state, 2, { key: 'a' })).toEqual({ ok: false, compactRevision: 3, revision: 4 });
    const read = watchHistory(s.state, 3, { key: 'a' });
    expect(read.ok && read.events.map((event) => event.revision)).toEqual([3, 4]);
  });

  it('refuses a compaction beyond the store or before the last one', () => {
    const s = new Scenario();
    s.ok({ op: 'put', key: 'a', value: '1' });
    s.ok({ op: 'put', key: 'a', value: '2' });
    expect(s.refused({ op: 'compact', revision: 3 }).error.reason).toBe('future-revision');
    s.ok({ op: 'compact', revision: 2 });
    expect(s.refused({ op: 'compact', revision: 1 }).error).toMatchObject({
      code: 'CONFLICT',
      reason: 'compacted',
      details: { compactRevision: 2 },
    });
  });

  it('bounds the history, dropping whole revisions so no txn is half-remembered', () => {
    const s = new Scenario({ historyLimit: 4 });
    for (let i = 0; i < 3; i++) {
      s.ok({
        op: 'txn',
        compare: [],
        success: [
          { op: 'put', key: `a${i}`, value: '' },
          { op: 'put', key: `b${i}`, value: '' },
        ],
        failure: [],
      });
    }
    // 6 events > 4 + 1: the oldest revision (2 events) goes, the next two stay whole.
    expect(s.state.history.map((event) => event.revision)).toEqual([2, 2, 3, 3]);
    expect(s.state.compactRevision).toBe(2);
    expect(watchHistory(s.state, 1, { prefix: '' }).ok).toBe(false);
  });

  it('answers an entry that is not a proposal the same way on every replica, changing nothing', () => {
    const replicas = [new CoordinationStateMachine(), new CoordinationStateMachine()];
    const garbage = Uint8Array.from([0xc1, 0x00, 0x07]);
    const wrongShape = encodeProposal({ now: T0, command: { op: 'put', key: '', value: 'x' } });
    const answers = replicas.map((replica) => [
      replica.applyEntry(1, garbage).response,
      replica.applyEntry(2, wrongShape).response,
    ]);
    expect(answers[0]).toEqual(answers[1]);
    expect(answers[0]?.[0]).toMatchObject({ ok: false, op: 'invalid', error: { reason: 'invalid-command' } });
    expect(answers[0]?.[1]).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(replicas[0]?.revision).toBe(0);
    expect(replicas[0]?.appliedIndex).toBe(2);
  });

  it('throws on an entry applied out of order: a bug of the caller, not an answer', () => {
    const machine = new CoordinationStateMachine();
    machine.skip(3);
    expect(() => machine.apply(3, { now: T0, command: { op: 'range', range: { key: 'a' } } })).toThrow(
      RangeError,
    );
  });
});
