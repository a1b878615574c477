import type { RawNode } from '../../core/raw-node';
import type { RaftDriver } from '../../driver/raft-driver';
import type { NodeId, SoftState } from '../../core/types';
import type { RaftStorage } from '../../storage/storage';
import type { SimDisk } from './sim-disk';
import type { DurableLogView } from './invariants';
import { KvStateMachine, type KvResult } from './kv-state-machine';

export type ReadWaiter = (value: string | null) => void;

/** One simulated server: durable storage survives crash(); everything else is rebuilt on restart. */
export class SimNode {
  /** The node's Ready loop; undefined while the node is down. */
  driver: RaftDriver | undefined;
  machine = new KvStateMachine();
  incarnation = 0;
  soft: SoftState = { lead: 0, role: 'follower' };
  term = 0;
  /** Extra latency of every fsync on this node (slow disk). */
  diskLatencyMs = 0;
  /** What the last save cost: the messages of that Ready leave only after it. */
  lastSaveMs = 0;
  readonly proposalWaiters = new Map<string, (result: KvResult) => void>();
  readonly readWaiters = new Map<string, { key: string; done: ReadWaiter }>();
  readonly readyReads: { index: number; context: string }[] = [];

  constructor(
    readonly id: NodeId,
    public disk: SimDisk,
  ) {}

  get storage(): RaftStorage {
    return this.disk.storage;
  }

  get raw(): RawNode | undefined {
    return this.driver?.node;
  }

  get alive(): boolean {
    return this.driver !== undefined;
  }
}

/** The checker's read-only view of what a node has on "disk". */
export function durableView(storage: RaftStorage): DurableLogView {
  return {
    snapshotIndex: () => storage.snapshot().metadata.index,
    termAt: (index) => {
      if (index < storage.firstIndex() - 1 || index > storage.lastIndex()) return undefined;
      return storage.term(index);
    },
  };
}
