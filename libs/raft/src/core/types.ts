/** Node ids are positive integers; 0 means "nobody" (no vote, no known leader). */
export type NodeId = number;
export const NONE: NodeId = 0;

export type EntryType = 'normal' | 'conf-change';

export interface Entry {
  readonly term: number;
  readonly index: number;
  readonly type: EntryType;
  readonly data: Uint8Array;
}

/** Single-server membership change (Raft thesis §4.1). Promotion = add-voter of a learner. */
export interface ConfChange {
  readonly type: 'add-voter' | 'add-learner' | 'remove-node';
  readonly nodeId: NodeId;
}

export interface ConfState {
  readonly voters: readonly NodeId[];
  readonly learners: readonly NodeId[];
}

export interface HardState {
  readonly term: number;
  readonly vote: NodeId;
  readonly commit: number;
}

export interface SnapshotMetadata {
  readonly index: number;
  readonly term: number;
  readonly confState: ConfState;
}

export interface Snapshot {
  readonly metadata: SnapshotMetadata;
  readonly data: Uint8Array;
}

export type StateRole = 'follower' | 'pre-candidate' | 'candidate' | 'leader';

export interface SoftState {
  readonly lead: NodeId;
  readonly role: StateRole;
}

/** A linearizable read point: once applied >= index, a read tagged `context` may be served. */
export interface ReadState {
  readonly index: number;
  readonly context: string;
}

export type MessageType =
  | 'hup' // local: start an election
  | 'beat' // local: leader heartbeat tick
  | 'check-quorum' // local: leader checks it still hears from a quorum
  | 'prop' // local: proposal
  | 'app'
  | 'app-resp'
  | 'vote'
  | 'vote-resp'
  | 'pre-vote'
  | 'pre-vote-resp'
  | 'snap' // one chunk of an InstallSnapshot
  | 'snap-resp' // acknowledges a chunk
  | 'heartbeat'
  | 'heartbeat-resp'
  | 'transfer-leader'
  | 'timeout-now'
  | 'read-index'
  | 'read-index-resp'
  | 'unreachable';

export const LOCAL_MESSAGE_TYPES: ReadonlySet<MessageType> = new Set<MessageType>([
  'hup',
  'beat',
  'check-quorum',
  'prop',
  'unreachable',
]);

/** One piece of a snapshot; InstallSnapshot streams these in order, each acknowledged. */
export interface SnapshotChunk {
  readonly metadata: SnapshotMetadata;
  readonly offset: number;
  readonly totalSize: number;
  readonly data: Uint8Array;
}

export interface Message {
  readonly type: MessageType;
  readonly from: NodeId;
  readonly to: NodeId;
  readonly term: number;
  /** app: term of entry at `index`; vote: last log term; app-resp reject: term hint. */
  readonly logTerm?: number;
  /** app: index preceding `entries`; app-resp: last matched/rejected index; vote: last log index. */
  readonly index?: number;
  readonly entries?: readonly Entry[];
  readonly commit?: number;
  readonly reject?: boolean;
  readonly rejectHint?: number;
  /** read-index correlation, or 'transfer' on a vote forced by leadership transfer. */
  readonly context?: string;
  readonly chunk?: SnapshotChunk;
  /** snap-resp: snapshot bytes received so far (the offset of the next chunk wanted). */
  readonly offset?: number;
}

export const CAMPAIGN_TRANSFER = 'transfer';
