import {
  closeSync,
  fdatasync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
  ftruncateSync,
} from 'node:fs';
import { StorageError } from '../../core/errors';
import { decodeRecord, encodeRecords, type WalRecord } from './records';

export interface RecoveredSegment {
  readonly records: WalRecord[];
  /** Bytes of a torn final record that recovery cut off (0 if the file ended cleanly). */
  readonly truncatedBytes: number;
}

/**
 * Reads every intact record. A damaged record at the very end is a torn write (the crash hit before
 * its fsync completed), so it is cut off; damage followed by intact records is corruption of data
 * that was once synced, and recovery refuses to guess.
 */
export function recoverSegment(path: string): RecoveredSegment {
  const buffer = readFileSync(path);
  const records: WalRecord[] = [];
  let offset = 0;
  while (offset < buffer.length) {
    const decoded = decodeRecord(buffer, offset);
    if (decoded.status === 'ok') {
      records.push(decoded.record);
      offset += decoded.size;
      continue;
    }
    if (decoded.status === 'corrupt' && hasIntactRecordAfter(buffer, offset)) {
      throw new StorageError(`WAL ${path} is corrupt at byte ${offset}, with intact records after it`);
    }
    break;
  }
  const truncatedBytes = buffer.length - offset;
  if (truncatedBytes > 0) truncateFile(path, offset);
  return { records, truncatedBytes };
}

function hasIntactRecordAfter(buffer: Buffer, offset: number): boolean {
  if (buffer.length - offset < 4) return false;
  const next = offset + 9 + buffer.readUInt32LE(offset);
  return next < buffer.length && decodeRecord(buffer, next).status === 'ok';
}

function truncateFile(path: string, length: number): void {
  const fd = openSync(path, 'r+');
  try {
    ftruncateSync(fd, length);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Counters of WAL I/O (e.g. for metrics: fsyncs per second). */
export interface WalStats {
  appends: number;
  writeCalls: number;
  syncs: number;
  bytes: number;
}

/** An open, append-only segment. One append = one write() and at most one fdatasync. */
export class SegmentWriter {
  private fd: number | undefined;

  constructor(
    readonly path: string,
    private readonly stats: WalStats = { appends: 0, writeCalls: 0, syncs: 0, bytes: 0 },
  ) {
    this.fd = openSync(path, 'a');
  }

  append(records: readonly WalRecord[], sync: boolean): void {
    const fd = this.write(records);
    if (sync) {
      fdatasyncSync(fd);
      this.stats.syncs++;
    }
  }

  /**
   * Writes the records now (one write() into the page cache, so the order of appends is the order
   * of calls) and runs the fdatasync, if asked, on the libuv thread pool: the caller's event loop
   * keeps running while the disk works. The records are durable only once the promise resolves.
   */
  appendDeferringSync(records: readonly WalRecord[], sync: boolean): Promise<void> | undefined {
    const fd = this.write(records);
    if (!sync) return undefined;
    return new Promise((resolve, reject) => {
      fdatasync(fd, (error) => {
        if (error) return reject(new StorageError(`fdatasync of ${this.path} failed: ${error.message}`));
        this.stats.syncs++;
        resolve();
      });
    });
  }

  private write(records: readonly WalRecord[]): number {
    const fd = this.requireOpen();
    const bytes = encodeRecords(records);
    let written = 0;
    while (written < bytes.length) {
      written += writeSync(fd, bytes, written, bytes.length - written);
      this.stats.writeCalls++;
    }
    this.stats.appends++;
    this.stats.bytes += bytes.length;
    return fd;
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
  }

  private requireOpen(): number {
    if (this.fd === undefined) throw new StorageError(`WAL segment ${this.path} is closed`);
    return this.fd;
  }
}

/** Writes a complete segment under a temporary name, syncs it, then renames it into place. */
export function writeSegmentAtomically(path: string, records: readonly WalRecord[], directory: string): void {
  const temporary = `${path}.tmp`;
  const writer = new SegmentWriter(temporary);
  try {
    writer.append(records, true);
  } finally {
    writer.close();
  }
  renameSync(temporary, path);
  syncDirectory(directory);
}

export function syncDirectory(directory: string): void {
  const fd = openSync(directory, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
