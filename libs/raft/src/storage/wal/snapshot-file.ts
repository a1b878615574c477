import {
  existsSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { StorageError } from '../../core/errors';
import type { Snapshot, SnapshotMetadata } from '../../core/types';
import { syncDirectory } from './segment-file';

const MAGIC = 0x52534e50; // "RSNP"
const PATTERN = /^snap-(\d{16})\.snap$/;

export function snapshotFileName(index: number): string {
  return `snap-${String(index).padStart(16, '0')}.snap`;
}

/** Writes the snapshot to a temporary file, fsyncs, renames over, fsyncs the directory: all or nothing. */
export function writeSnapshotFile(directory: string, snapshot: Snapshot): void {
  const meta = Buffer.from(JSON.stringify(snapshot.metadata));
  const header = Buffer.allocUnsafe(16);
  const body = Buffer.concat([
    meta,
    Buffer.from(snapshot.data.buffer, snapshot.data.byteOffset, snapshot.data.byteLength),
  ]);
  header.writeUInt32LE(MAGIC, 0);
  header.writeUInt32LE(meta.length, 4);
  header.writeUInt32LE(snapshot.data.length, 8);
  header.writeUInt32LE(crc32(body), 12);
  const path = join(directory, snapshotFileName(snapshot.metadata.index));
  const temporary = `${path}.tmp`;
  writeFileSync(temporary, Buffer.concat([header, body]));
  const fd = openSync(temporary, 'r+');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temporary, path);
  syncDirectory(directory);
}

export function readSnapshotFile(directory: string, index: number): Snapshot {
  const path = join(directory, snapshotFileName(index));
  if (!existsSync(path)) throw new StorageError(`snapshot file ${path} is missing`);
  const buffer = readFileSync(path);
  if (buffer.length < 16 || buffer.readUInt32LE(0) !== MAGIC)
    throw new StorageError(`snapshot ${path} has no header`);
  const metaLength = buffer.readUInt32LE(4);
  const dataLength = buffer.readUInt32LE(8);
  const body = buffer.subarray(16);
  if (body.length !== metaLength + dataLength || crc32(body) !== buffer.readUInt32LE(12)) {
    throw new StorageError(`snapshot ${path} fails its checksum`);
  }
  const metadata = JSON.parse(body.subarray(0, metaLength).toString('utf8')) as SnapshotMetadata;
  return { metadata, data: new Uint8Array(body.subarray(metaLength)) };
}

/** Deletes snapshot files older than `keepFrom` (and stray temporaries). */
export function pruneSnapshotFiles(directory: string, keepFrom: number): void {
  for (const name of readdirSync(directory)) {
    const match = PATTERN.exec(name);
    if (name.startsWith('snap-') && name.endsWith('.tmp')) unlinkSync(join(directory, name));
    else if (match && Number(match[1]) < keepFrom) unlinkSync(join(directory, name));
  }
}
