import type { Entry, Message, MessageType, SnapshotChunk, SnapshotMetadata } from '../core/types';
import { LOCAL_MESSAGE_TYPES } from '../core/types';
import { Packr } from 'msgpackr';

/**
 * A wire format for Raft peer traffic: one transport message carries a batch of Raft messages, packed
 * with MessagePack (entry payloads and snapshot chunks travel as raw bytes, not base64 as JSON
 * would need). Decoding checks every field the core reads, so a malformed batch is refused whole
 * instead of reaching the node.
 */
const packr = new Packr({ useRecords: false, moreTypes: false, bundleStrings: false });

const REMOTE_TYPES: ReadonlySet<string> = new Set<MessageType>([
  'app',
  'app-resp',
  'vote',
  'vote-resp',
  'pre-vote',
  'pre-vote-resp',
  'snap',
  'snap-resp',
  'heartbeat',
  'heartbeat-resp',
  'transfer-leader',
  'timeout-now',
  'read-index',
  'read-index-resp',
]);

export class WireFormatError extends Error {}

export function encodeMessages(messages: readonly Message[]): Uint8Array {
  return packr.pack(messages);
}

export function decodeMessages(bytes: Uint8Array): Message[] {
  let raw: unknown;
  try {
    raw = packr.unpack(bytes);
  } catch (error) {
    throw new WireFormatError(`not MessagePack: ${(error as Error).message}`);
  }
  if (!Array.isArray(raw)) throw new WireFormatError('a batch must be an array of messages');
  return raw.map((item, i) => checkMessage(item, `[${i}]`));
}

type Fields = Record<string, unknown>;

function checkMessage(value: unknown, at: string): Message {
  const m = record(value, at);
  const type = m['type'];
  if (typeof type !== 'string' || !REMOTE_TYPES.has(type) || LOCAL_MESSAGE_TYPES.has(type as MessageType))
    throw new WireFormatError(`${at}.type: not a peer message type`);
  natural(m['from'], `${at}.from`);
  natural(m['to'], `${at}.to`);
  natural(m['term'], `${at}.term`);
  for (const field of ['logTerm', 'index', 'commit', 'rejectHint', 'offset'])
    if (m[field] !== undefined) natural(m[field], `${at}.${field}`);
  if (m['reject'] !== undefined && typeof m['reject'] !== 'boolean')
    throw new WireFormatError(`${at}.reject: must be a boolean`);
  if (m['context'] !== undefined && typeof m['context'] !== 'string')
    throw new WireFormatError(`${at}.context: must be a string`);
  if (m['entries'] !== undefined) {
    if (!Array.isArray(m['entries'])) throw new WireFormatError(`${at}.entries: must be an array`);
    m['entries'].forEach((entry, i) => checkEntry(entry, `${at}.entries[${i}]`));
  }
  if (m['chunk'] !== undefined) checkChunk(m['chunk'], `${at}.chunk`);
  return m as unknown as Message;
}

function checkEntry(value: unknown, at: string): Entry {
  const e = record(value, at);
  natural(e['term'], `${at}.term`);
  natural(e['index'], `${at}.index`);
  if (e['type'] !== 'normal' && e['type'] !== 'conf-change')
    throw new WireFormatError(`${at}.type: must be normal or conf-change`);
  bytes(e['data'], `${at}.data`);
  return e as unknown as Entry;
}

function checkChunk(value: unknown, at: string): SnapshotChunk {
  const c = record(value, at);
  checkMetadata(c['metadata'], `${at}.metadata`);
  natural(c['offset'], `${at}.offset`);
  natural(c['totalSize'], `${at}.totalSize`);
  bytes(c['data'], `${at}.data`);
  return c as unknown as SnapshotChunk;
}

function checkMetadata(value: unknown, at: string): SnapshotMetadata {
  const meta = record(value, at);
  natural(meta['index'], `${at}.index`);
  natural(meta['term'], `${at}.term`);
  const conf = record(meta['confState'], `${at}.confState`);
  for (const list of ['voters', 'learners']) {
    const ids = conf[list];
    if (!Array.isArray(ids)) throw new WireFormatError(`${at}.confState.${list}: must be an array`);
    ids.forEach((id, i) => natural(id, `${at}.confState.${list}[${i}]`));
  }
  return meta as unknown as SnapshotMetadata;
}

function record(value: unknown, at: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new WireFormatError(`${at}: must be an object`);
  return value as Fields;
}

function natural(value: unknown, at: string): void {
  if (!Number.isSafeInteger(value) || (value as number) < 0)
    throw new WireFormatError(`${at}: must be a non-negative integer`);
}

function bytes(value: unknown, at: string): void {
  if (!(value instanceof Uint8Array)) throw new WireFormatError(`${at}: must be bytes`);
}
