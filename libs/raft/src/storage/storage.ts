import type { ConfState, Entry, HardState, Snapshot } from '../core/types';

export interface InitialState {
  readonly hardState: HardState;
  readonly confState: ConfState;
}

/**
 * What the core reads from stable storage (etcd's Storage interface). The application writes to it
 * while handling a Ready; the core only reads. Errors: CompactedError, UnavailableError,
 * SnapshotTemporarilyUnavailableError.
 */
export interface RaftStorage {
  initialState(): InitialState;
  /** Entries in [lo, hi), stopping once maxSize bytes are exceeded (but always at least one). */
  entries(lo: number, hi: number, maxSize: number): Entry[];
  term(index: number): number;
  lastIndex(): number;
  /** Index of the first entry still available (snapshot index + 1). */
  firstIndex(): number;
  snapshot(): Snapshot;
}

/** What one Ready asks to be made durable (a Ready is one): snapshot, then entries, then hard state. */
export interface SaveBatch {
  readonly hardState?: HardState;
  readonly entries: readonly Entry[];
  readonly snapshot?: Snapshot;
  /** false only when nothing in the batch needs to survive a crash before messages go out. */
  readonly mustSync: boolean;
}

export const EMPTY_HARD_STATE: HardState = { term: 0, vote: 0, commit: 0 };

export function entrySize(entry: Entry): number {
  return entry.data.length;
}

/** Takes entries while the running size stays within maxSize; always returns at least one entry. */
export function limitSize(entries: Entry[], maxSize: number): Entry[] {
  if (entries.length === 0) return entries;
  let size = entrySize(entries[0] as Entry);
  let limit = 1;
  for (; limit < entries.length; limit++) {
    size += entrySize(entries[limit] as Entry);
    if (size > maxSize) break;
  }
  return limit === entries.length ? entries : entries.slice(0, limit);
}

export function isEmptySnapshot(snapshot: Snapshot | undefined): boolean {
  return snapshot === undefined || snapshot.metadata.index === 0;
}

export function isHardStateEqual(a: HardState, b: HardState): boolean {
  return a.term === b.term && a.vote === b.vote && a.commit === b.commit;
}
