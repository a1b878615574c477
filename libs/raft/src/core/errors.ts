import type { NodeId } from './types';

/** Base class of every error this library throws; `cause` carries the underlying error, if any. */
export class RaftError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A proposal or read reached a node that is not the leader. `leaderHint` is 0 when unknown. */
export class NotLeaderError extends RaftError {
  constructor(
    readonly leaderHint: NodeId,
    options?: { cause?: unknown },
  ) {
    super(leaderHint ? `not the leader; try node ${leaderHint}` : 'not the leader; leader unknown', options);
  }
}

/** Backpressure: the leader already holds too many uncommitted bytes. Retry after commits drain. */
export class BackpressureError extends RaftError {
  constructor(
    readonly uncommittedBytes: number,
    readonly limitBytes: number,
  ) {
    super(`proposal refused: ${uncommittedBytes} uncommitted bytes would exceed the limit of ${limitBytes}`);
  }
}

/** The proposal cannot be accepted now (e.g. a leadership transfer is in progress). */
export class ProposalDroppedError extends RaftError {}

/** Only one membership change may be in flight (single-server changes, thesis §4.1). */
export class ConfChangeInProgressError extends RaftError {
  constructor(readonly pendingIndex: number) {
    super(`a membership change at index ${pendingIndex} is not yet applied`);
  }
}

/** A membership change that is not allowed (e.g. promoting a learner that has not caught up). */
export class InvalidConfChangeError extends RaftError {}

/** Configuration rejected at construction time. */
export class ConfigError extends RaftError {}

/** Requested log position was compacted away into a snapshot. */
export class CompactedError extends RaftError {
  constructor(readonly index: number) {
    super(`index ${index} is compacted`);
  }
}

/** Requested log position is beyond the end of the log. */
export class UnavailableError extends RaftError {
  constructor(readonly index: number) {
    super(`index ${index} is not available`);
  }
}

/** A snapshot is being produced and cannot be read yet; the leader retries later. */
export class SnapshotTemporarilyUnavailableError extends RaftError {}

/** Durable storage failed or found corruption it cannot repair. */
export class StorageError extends RaftError {}

/** A step() call the core cannot accept (e.g. a local message type arriving from the network). */
export class InvalidMessageError extends RaftError {}

/**
 * A driver stopped because persisting, sending or applying a Ready failed: the node's in-memory state
 * may be ahead of its disk, so it must be rebuilt from storage (restart), never used again.
 */
export class DriverFailedError extends RaftError {}
