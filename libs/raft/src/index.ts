// Core
export { RawNode, type Ready, type Status, type ProgressStatus } from './core/raw-node';
export { Raft, type ProposedEntry } from './core/raft';
export {
  DEFAULTS as RAFT_DEFAULTS,
  resolveConfig,
  type RaftConfig,
  type ReadOnlyOption,
  type ResolvedConfig,
} from './core/config';
export { SeededRandom, type RandomSource } from './core/random';
export { encodeConfChange, decodeConfChange } from './core/conf-change';
export * from './core/errors';
export * from './core/types';
// Storage
export type { RaftStorage, InitialState, SaveBatch } from './storage/storage';
export { MemoryStorage } from './storage/memory-storage';
export { DiskStorage, type RecoveryReport } from './storage/disk-storage';
export type { WalStats } from './storage/wal/segment-file';
// The Ready loop: persist, send, apply, advance
export * from './driver';
// Peer traffic on the wire
export { decodeMessages, encodeMessages, WireFormatError } from './wire/message-codec';
