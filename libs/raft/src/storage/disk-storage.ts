import { existsSync, mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../core/errors';
import type { ConfState, Entry, HardState, Snapshot } from '../core/types';
import { MemoryStorage } from './memory-storage';
import type { InitialState, RaftStorage, SaveBatch } from './storage';
import type { WalRecord } from './wal/records';
import {
  recoverSegment,
  SegmentWriter,
  syncDirectory,
  writeSegmentAtomically,
  type WalStats,
} from './wal/segment-file';
import { pruneSnapshotFiles, readSnapshotFile, writeSnapshotFile } from './wal/snapshot-file';

const SEGMENT = /^wal-(\d{16})\.log$/;

function segmentName(sequence: number): string {
  return `wal-${String(sequence).padStart(16, '0')}.log`;
}

export interface RecoveryReport {
  readonly segment: string;
  readonly records: number;
  readonly truncatedBytes: number;
}

/**
 * Durable Raft storage on local disk: an append-only WAL (checksummed records, one fdatasync per
 * saved batch) plus atomically written snapshot files. Reads are served from memory; the only I/O in
 * this library lives here and in ./wal.
 *
 * Recovery replays the newest complete segment: a torn final record is dropped, an fsynced record
 * never is. Compaction writes a fresh segment (snapshot marker + hard state + remaining entries)
 * under a temporary name and renames it into place, so a crash leaves either the old or the new one.
 */
export class DiskStorage implements RaftStorage {
  private memory: MemoryStorage;
  private writer: SegmentWriter;
  private sequence: number;
  private hardState: HardState;
  private readonly walStats: WalStats = { appends: 0, writeCalls: 0, syncs: 0, bytes: 0 };

  private constructor(
    readonly directory: string,
    memory: MemoryStorage,
    sequence: number,
    readonly recovery: RecoveryReport,
  ) {
    this.memory = memory;
    this.sequence = sequence;
    this.hardState = memory.initialState().hardState;
    this.writer = new SegmentWriter(join(directory, segmentName(sequence)), this.walStats);
  }

  /** Opens (recovering) the storage in `directory`; a new directory is bootstrapped with `confState`. */
  static open(directory: string, confState: ConfState = { voters: [], learners: [] }): DiskStorage {
    mkdirSync(directory, { recursive: true });
    const sequence = latestSegment(directory);
    if (sequence === undefined) return DiskStorage.bootstrap(directory, confState);
    removeStaleFiles(directory, sequence);
    const segment = join(directory, segmentName(sequence));
    const { records, truncatedBytes } = recoverSegment(segment);
    const memory = replay(directory, records);
    return new DiskStorage(directory, memory, sequence, { segment, records: records.length, truncatedBytes });
  }

  private static bootstrap(directory: string, confState: ConfState): DiskStorage {
    writeSnapshotFile(directory, { metadata: { index: 0, term: 0, confState }, data: new Uint8Array(0) });
    const memory = MemoryStorage.bootstrap(confState);
    const records: WalRecord[] = [{ kind: 'snapshot', index: 0, term: 0 }];
    if (memory.lastIndex() > 0) {
      for (const entry of memory.entries(1, memory.lastIndex() + 1, Number.MAX_SAFE_INTEGER))
        records.push({ kind: 'entry', entry });
    }
    records.push({ kind: 'hard-state', hardState: memory.initialState().hardState });
    const segment = join(directory, segmentName(1));
    writeSegmentAtomically(segment, records, directory);
    return new DiskStorage(directory, memory, 1, { segment, records: records.length, truncatedBytes: 0 });
  }

  /** Persists one Ready's worth of state with a single write and (if mustSync) a single fdatasync. */
  save(batch: SaveBatch): void {
    const records = this.recordsOf(batch);
    if (records.length === 0) return;
    this.writer.append(records, batch.mustSync);
    this.remember(batch);
  }

  /**
   * As `save`, but the fdatasync runs off the event loop (group commit: inputs arriving meanwhile
   * are handled and join the next batch). The batch is written and readable at once; it is durable
   * only when the returned promise resolves, so nothing that promises it (an acknowledgement, a
   * vote) may leave before then — AsyncRaftDriver awaits it before sending the Ready's messages.
   * Undefined when nothing had to be synced. At most one such save should be in flight.
   */
  saveDeferringSync(batch: SaveBatch): Promise<void> | undefined {
    const records = this.recordsOf(batch);
    if (records.length === 0) return undefined;
    const synced = this.writer.appendDeferringSync(records, batch.mustSync);
    this.remember(batch);
    return synced;
  }

  private recordsOf(batch: SaveBatch): WalRecord[] {
    const records: WalRecord[] = [];
    if (batch.snapshot) {
      // The snapshot file must be durable before the WAL refers to it.
      writeSnapshotFile(this.directory, batch.snapshot);
      records.push({
        kind: 'snapshot',
        index: batch.snapshot.metadata.index,
        term: batch.snapshot.metadata.term,
      });
    }
    for (const entry of batch.entries) records.push({ kind: 'entry', entry });
    if (batch.hardState) records.push({ kind: 'hard-state', hardState: batch.hardState });
    return records;
  }

  private remember(batch: SaveBatch): void {
    if (batch.snapshot) this.memory.applySnapshot(batch.snapshot);
    this.memory.append(batch.entries);
    if (batch.hardState) {
      this.memory.setHardState(batch.hardState);
      this.hardState = batch.hardState;
    }
  }

  /**
   * Records a snapshot of the application's state at `index` and drops log entries before
   * `compactTo` (default: index). Rewrites the WAL so it stops growing.
   */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array, compactTo = index): Snapshot {
    const snapshot = this.memory.createSnapshot(index, confState, data);
    writeSnapshotFile(this.directory, snapshot);
    this.memory.compact(Math.min(compactTo, index));
    this.rewriteSegment(snapshot);
    pruneSnapshotFiles(this.directory, snapshot.metadata.index);
    return snapshot;
  }

  close(): void {
    this.writer.close();
  }

  /** WAL appends, write() calls, fdatasyncs and bytes since this storage was opened. */
  stats(): Readonly<WalStats> {
    return { ...this.walStats };
  }

  initialState(): InitialState {
    return this.memory.initialState();
  }

  entries(lo: number, hi: number, maxSize: number): Entry[] {
    return this.memory.entries(lo, hi, maxSize);
  }

  term(index: number): number {
    return this.memory.term(index);
  }

  lastIndex(): number {
    return this.memory.lastIndex();
  }

  firstIndex(): number {
    return this.memory.firstIndex();
  }

  snapshot(): Snapshot {
    return this.memory.snapshot();
  }

  private rewriteSegment(snapshot: Snapshot): void {
    const records: WalRecord[] = [
      { kind: 'snapshot', index: snapshot.metadata.index, term: snapshot.metadata.term },
    ];
    const first = this.memory.firstIndex();
    const last = this.memory.lastIndex();
    if (last >= first) {
      for (const entry of this.memory.entries(first, last + 1, Number.MAX_SAFE_INTEGER))
        records.push({ kind: 'entry', entry });
    }
    records.push({ kind: 'hard-state', hardState: this.hardState });
    const next = this.sequence + 1;
    writeSegmentAtomically(join(this.directory, segmentName(next)), records, this.directory);
    this.writer.close();
    unlinkSync(join(this.directory, segmentName(this.sequence)));
    this.sequence = next;
    this.writer = new SegmentWriter(join(this.directory, segmentName(next)), this.walStats);
  }
}

/** Rebuilds the in-memory log: snapshot markers reset it, entries overwrite any conflicting suffix. */
function replay(directory: string, records: readonly WalRecord[]): MemoryStorage {
  let memory: MemoryStorage | undefined;
  let hardState: HardState | undefined;
  for (const record of records) {
    if (record.kind === 'snapshot') {
      const snapshot = readSnapshotFile(directory, record.index);
      if (record.index === 0) memory = MemoryStorage.bootstrap(snapshot.metadata.confState);
      else {
        memory ??= new MemoryStorage();
        memory.applySnapshot(snapshot);
      }
    } else if (!memory) {
      throw new StorageError('WAL segment does not start with a snapshot marker');
    } else if (record.kind === 'entry') {
      if (record.entry.index > memory.snapshot().metadata.index) memory.append([record.entry]);
    } else {
      hardState = record.hardState;
    }
  }
  if (!memory) throw new StorageError('WAL segment is empty');
  if (hardState) memory.setHardState(hardState);
  return memory;
}

function latestSegment(directory: string): number | undefined {
  let latest: number | undefined;
  for (const name of readdirSync(directory)) {
    const match = SEGMENT.exec(name);
    if (match) latest = Math.max(latest ?? 0, Number(match[1]));
  }
  return latest;
}

/** Leftovers of a crash during compaction: a half-written temporary or the segment it replaced. */
function removeStaleFiles(directory: string, keep: number): void {
  let removed = false;
  for (const name of readdirSync(directory)) {
    const match = SEGMENT.exec(name);
    const stale = (name.startsWith('wal-') && name.endsWith('.tmp')) || (match && Number(match[1]) !== keep);
    if (stale && existsSync(join(directory, name))) {
      unlinkSync(join(directory, name));
      removed = true;
    }
  }
  if (removed) syncDirectory(directory);
}
