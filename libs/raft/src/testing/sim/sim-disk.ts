import type { ConfState } from '../../core/types';
import { DiskStorage } from '../../storage/disk-storage';
import { MemoryStorage } from '../../storage/memory-storage';
import type { RaftStorage, SaveBatch } from '../../storage/storage';

/** What a simulated server keeps across crashes: in memory (fast) or a real DiskStorage directory. */
export interface SimDisk {
  readonly storage: RaftStorage;
  save(batch: SaveBatch): void;
  snapshot(index: number, confState: ConfState, data: Uint8Array, compactTo: number): void;
  /** After a crash: the storage as recovered from what was durably written. */
  reopen(): SimDisk;
  close(): void;
}

export function memoryDisk(storage: MemoryStorage): SimDisk {
  return {
    storage,
    save: (batch) => storage.save(batch),
    snapshot(index, confState, data, compactTo) {
      storage.createSnapshot(index, confState, data);
      storage.compact(compactTo);
    },
    reopen() {
      return this; // everything written here was "durable"
    },
    close() {
      // nothing to release
    },
  };
}

/** Real WAL + snapshot files: restarts go through DiskStorage recovery. */
export function realDisk(directory: string, confState?: ConfState): SimDisk {
  const storage = DiskStorage.open(directory, confState);
  return {
    storage,
    save: (batch) => storage.save(batch),
    snapshot: (index, conf, data, compactTo) => {
      storage.createSnapshot(index, conf, data, compactTo);
    },
    reopen() {
      storage.close();
      return realDisk(directory);
    },
    close: () => storage.close(),
  };
}
