import { bootstrapEntries } from '../core/conf-change';
import { CompactedError, RaftError, UnavailableError } from '../core/errors';
import type { ConfState, Entry, HardState, Snapshot } from '../core/types';
import { EMPTY_HARD_STATE, limitSize, type InitialState, type RaftStorage, type SaveBatch } from './storage';

const EMPTY_SNAPSHOT: Snapshot = {
  metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } },
  data: new Uint8Array(0),
};

/**
 * In-memory stable storage. In the simulator it plays the role of the disk: whatever was written
 * here survives a simulated crash. `entries[0]` is a dummy holding the snapshot's index and term.
 */
export class MemoryStorage implements RaftStorage {
  private hardState: HardState = EMPTY_HARD_STATE;
  private snap: Snapshot = EMPTY_SNAPSHOT;
  private ents: Entry[] = [{ term: 0, index: 0, type: 'normal', data: new Uint8Array(0) }];

  /**
   * A founding cluster member: the membership is known at once (snapshot confState) and also sits in
   * the log as committed conf-change entries, which is how later joiners learn it.
   */
  static bootstrap(confState: ConfState): MemoryStorage {
    const storage = new MemoryStorage();
    storage.snap = { metadata: { index: 0, term: 0, confState }, data: new Uint8Array(0) };
    const entries = bootstrapEntries(confState);
    storage.append(entries);
    storage.hardState = { term: entries.length > 0 ? 1 : 0, vote: 0, commit: entries.length };
    return storage;
  }

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  /** Stores one Ready's snapshot, entries and hard state, in that order (memory is "durable" here). */
  save(batch: SaveBatch): void {
    if (batch.snapshot) this.applySnapshot(batch.snapshot);
    this.append(batch.entries);
    if (batch.hardState) this.setHardState(batch.hardState);
  }

  setHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new CompactedError(lo);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1);
    if (this.ents.length === 1) throw new UnavailableError(lo);
    return limitSize(this.ents.slice(lo - offset, hi - offset), maxSize);
  }

  term(index: number): number {
    const offset = this.offset();
    if (index < offset) throw new CompactedError(index);
    const entry = this.ents[index - offset];
    if (entry === undefined) throw new UnavailableError(index);
    return entry.term;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole state with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    if (snapshot.metadata.index <= this.snap.metadata.index) return;
    this.snap = snapshot;
    this.ents = [
      {
        term: snapshot.metadata.term,
        index: snapshot.metadata.index,
        type: 'normal',
        data: new Uint8Array(0),
      },
    ];
  }

  /** Records a snapshot of the local state machine at `index` (must be <= the last applied index). */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.metadata.index) return this.snap;
    if (index > this.lastIndex()) throw new RaftError(`snapshot index ${index} is beyond the last index`);
    this.snap = { metadata: { index, term: this.term(index), confState }, data };
    return this.snap;
  }

  /** Discards entries before `compactIndex` (which must be covered by the snapshot). */
  compact(compactIndex: number): void {
    const offset = this.offset();
    if (compactIndex <= offset) return;
    if (compactIndex > this.lastIndex()) throw new UnavailableError(compactIndex);
    const head = this.ents[compactIndex - offset] as Entry;
    this.ents = [
      { term: head.term, index: head.index, type: 'normal', data: new Uint8Array(0) },
      ...this.ents.slice(compactIndex - offset + 1),
    ];
  }

  /** Appends entries, truncating any conflicting suffix (the new entries win). */
  append(entries: readonly Entry[]): void {
    const first = entries[0];
    if (first === undefined) return;
    const offset = this.offset();
    const last = first.index + entries.length - 1;
    if (last <= offset) return;
    const keep = entries.slice(Math.max(0, offset + 1 - first.index));
    const start = (keep[0] as Entry).index;
    if (start > this.lastIndex() + 1)
      throw new RaftError(`gap: appending ${start} after ${this.lastIndex()}`);
    this.ents.length = start - offset;
    for (const entry of keep) this.ents.push(entry);
  }

  private offset(): number {
    return (this.ents[0] as Entry).index;
  }
}
