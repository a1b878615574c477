import type { ConfChange, ConfState, Entry, Message, ReadState, Snapshot, SoftState } from '../core/types';
import type { SaveBatch } from '../storage/storage';

/**
 * Makes one Ready durable (MemoryStorage and DiskStorage both are one). `save` is called for every
 * Ready, also when there is nothing to write, and must not return before the batch is on disk
 * (fsynced when `mustSync`): the driver sends the Ready's messages only after it returns.
 */
export interface SyncStorageWriter {
  save(batch: SaveBatch): void;
}

/** As SyncStorageWriter, but the driver awaits the result; a rejection stops the driver. */
export interface AsyncStorageWriter {
  save(batch: SaveBatch): void | PromiseLike<void>;
}

/**
 * Hands messages to peers. Raft tolerates loss, duplication and reordering, so an unreachable peer is
 * not an error here (tell the node with reportUnreachable); a throw stops the driver.
 */
export interface RaftTransport {
  send(messages: readonly Message[]): void;
}

/** A membership change the driver has already applied to the node, and the configuration it produced. */
export interface AppliedConfChange {
  readonly change: ConfChange;
  readonly confState: ConfState;
}

/** The replicated state machine and its observers; every callback runs after the Ready is durable. */
export interface RaftApplication {
  /** Leader or role changed. Runs before the Ready is persisted, like etcd's SoftState. */
  onSoftState?(soft: SoftState): void;
  /** Replace the whole state with the snapshot's (a leader sent it; entries before it are gone). */
  restoreSnapshot(snapshot: Snapshot): void;
  /**
   * One committed entry: exactly once per driver and in log order, starting after the node's
   * `applied` index (or after a restored snapshot). Conf-change entries arrive with `confChange`,
   * already applied to the node.
   */
  applyEntry(entry: Entry, confChange: AppliedConfChange | undefined): void;
  /** Read points: serve a read once everything up to its index is applied. */
  onReadStates?(readStates: readonly ReadState[]): void;
  /** After advance: a moment to serve reads that became ready, or to snapshot and compact. */
  afterAdvance?(): void;
}

/** Calls `onTick` at a fixed period until the returned function is called (time stays injected). */
export interface Ticker {
  every(onTick: () => void): () => void;
}
