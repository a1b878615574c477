import { SnapshotAssembler, snapshotChunk } from './snapshot-stream';
import type { Snapshot } from './types';

const snapshot: Snapshot = {
  metadata: { index: 10, term: 2, confState: { voters: [1, 2, 3], learners: [] } },
  data: new Uint8Array(Array.from({ length: 25 }, (_, i) => i)),
};

describe('InstallSnapshot chunks', () => {
  it('reassembles in-order chunks into the original bytes', () => {
    const assembler = new SnapshotAssembler();
    expect(assembler.accept(snapshotChunk(snapshot, 0, 10))).toBe(10);
    expect(assembler.accept(snapshotChunk(snapshot, 10, 10))).toBe(20);
    const done = assembler.accept(snapshotChunk(snapshot, 20, 10));
    expect(done).toEqual(snapshot);
  });

  it('ignores duplicates and gaps, always naming the offset it needs next', () => {
    const assembler = new SnapshotAssembler();
    assembler.accept(snapshotChunk(snapshot, 0, 10));
    expect(assembler.accept(snapshotChunk(snapshot, 0, 10))).toBe(10); // duplicate
    expect(assembler.accept(snapshotChunk(snapshot, 20, 10))).toBe(10); // gap
    expect(assembler.accept(snapshotChunk(snapshot, 10, 10))).toBe(20);
    expect(assembler.accept(snapshotChunk(snapshot, 20, 10))).toEqual(snapshot);
  });

  it('starts over when a newer snapshot begins, and asks for offset 0 after a restart', () => {
    const assembler = new SnapshotAssembler();
    assembler.accept(snapshotChunk(snapshot, 0, 10));
    const newer: Snapshot = { ...snapshot, metadata: { ...snapshot.metadata, index: 20 } };
    expect(assembler.accept(snapshotChunk(newer, 10, 10))).toBe(0);
    const fresh = new SnapshotAssembler(); // a restarted follower
    expect(fresh.accept(snapshotChunk(snapshot, 10, 10))).toBe(0);
  });

  it('an empty snapshot is one empty chunk', () => {
    const empty: Snapshot = { ...snapshot, data: new Uint8Array(0) };
    expect(new SnapshotAssembler().accept(snapshotChunk(empty, 0, 10))).toEqual(empty);
  });
});
