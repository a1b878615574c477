import { crc32 } from 'node:zlib';
import type { Entry, HardState } from '../../core/types';

/** One WAL record: an entry, a hard state, or a marker that a snapshot now covers the log up to index. */
export type WalRecord =
  | { readonly kind: 'entry'; readonly entry: Entry }
  | { readonly kind: 'hard-state'; readonly hardState: HardState }
  | { readonly kind: 'snapshot'; readonly index: number; readonly term: number };

const KIND_ENTRY = 1;
const KIND_HARD_STATE = 2;
const KIND_SNAPSHOT = 3;
/** length (u32) + crc32 of kind and payload (u32) + kind (u8) */
export const HEADER_BYTES = 9;

/** Frames records as [length][crc32][kind][payload]; the checksum exposes torn or corrupt writes. */
export function encodeRecords(records: readonly WalRecord[]): Buffer {
  const frames = records.map(encodeRecord);
  return Buffer.concat(frames);
}

function encodeRecord(record: WalRecord): Buffer {
  const payload = encodePayload(record);
  const frame = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  frame.writeUInt32LE(payload.length, 0);
  frame.writeUInt8(kindCode(record), 8);
  payload.copy(frame, HEADER_BYTES);
  frame.writeUInt32LE(crc32(frame.subarray(8)), 4);
  return frame;
}

function kindCode(record: WalRecord): number {
  if (record.kind === 'entry') return KIND_ENTRY;
  return record.kind === 'hard-state' ? KIND_HARD_STATE : KIND_SNAPSHOT;
}

function encodePayload(record: WalRecord): Buffer {
  switch (record.kind) {
    case 'entry': {
      const { term, index, type, data } = record.entry;
      const payload = Buffer.allocUnsafe(17 + data.length);
      payload.writeDoubleLE(term, 0);
      payload.writeDoubleLE(index, 8);
      payload.writeUInt8(type === 'conf-change' ? 1 : 0, 16);
      payload.set(data, 17);
      return payload;
    }
    case 'hard-state': {
      const payload = Buffer.allocUnsafe(24);
      payload.writeDoubleLE(record.hardState.term, 0);
      payload.writeDoubleLE(record.hardState.vote, 8);
      payload.writeDoubleLE(record.hardState.commit, 16);
      return payload;
    }
    case 'snapshot': {
      const payload = Buffer.allocUnsafe(16);
      payload.writeDoubleLE(record.index, 0);
      payload.writeDoubleLE(record.term, 8);
      return payload;
    }
  }
}

export type DecodeResult =
  | { readonly status: 'ok'; readonly record: WalRecord; readonly size: number }
  | { readonly status: 'incomplete' | 'corrupt' };

/** Decodes the record at offset; 'incomplete' = the file ends inside it, 'corrupt' = checksum mismatch. */
export function decodeRecord(buffer: Buffer, offset: number): DecodeResult {
  if (buffer.length - offset < HEADER_BYTES) return { status: 'incomplete' };
  const length = buffer.readUInt32LE(offset);
  const size = HEADER_BYTES + length;
  if (buffer.length - offset < size) return { status: 'incomplete' };
  const body = buffer.subarray(offset + 8, offset + size);
  if (crc32(body) !== buffer.readUInt32LE(offset + 4)) return { status: 'corrupt' };
  const kind = body.readUInt8(0);
  const payload = body.subarray(1);
  const record = decodePayload(kind, payload);
  return record ? { status: 'ok', record, size } : { status: 'corrupt' };
}

function decodePayload(kind: number, payload: Buffer): WalRecord | undefined {
  if (kind === KIND_ENTRY && payload.length >= 17) {
    return {
      kind: 'entry',
      entry: {
        term: payload.readDoubleLE(0),
        index: payload.readDoubleLE(8),
        type: payload.readUInt8(16) === 1 ? 'conf-change' : 'normal',
        data: new Uint8Array(payload.subarray(17)),
      },
    };
  }
  if (kind === KIND_HARD_STATE && payload.length === 24) {
    return {
      kind: 'hard-state',
      hardState: {
        term: payload.readDoubleLE(0),
        vote: payload.readDoubleLE(8),
        commit: payload.readDoubleLE(16),
      },
    };
  }
  if (kind === KIND_SNAPSHOT && payload.length === 16) {
    return { kind: 'snapshot', index: payload.readDoubleLE(0), term: payload.readDoubleLE(8) };
  }
  return undefined;
}
