import type { RaftConfig } from '../../core/config';
import { SeededRandom } from '../../core/random';
import { RawNode } from '../../core/raw-node';
import type { ConfState, Message, NodeId } from '../../core/types';
import { MemoryStorage } from '../../storage/memory-storage';
import type { AppliedConfChange, RaftApplication } from '../ports';
import { RaftDriver } from '../raft-driver';
import { checkPersistedBeforeSend } from './durability';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One apply callback as the application saw it. */
export type AppliedRecord =
  | { readonly kind: 'entry'; readonly index: number; readonly value: string; readonly confState?: ConfState }
  | { readonly kind: 'snapshot'; readonly index: number }
  /** A (re)start: the state machine was rebuilt from the storage's snapshot at index. */
  | { readonly kind: 'start'; readonly index: number };

export interface DriverClusterOptions {
  readonly voters: number;
  readonly seed: number;
  readonly raft?: Partial<Omit<RaftConfig, 'id' | 'random' | 'applied'>>;
  /** Snapshot and compact the log once this many entries are applied beyond the snapshot; 0 = never. */
  readonly snapshotEvery?: number;
  /** Probability that a message is delivered twice. */
  readonly duplicateRate?: number;
}

/** A replica: a list of applied values as its state machine, and a record of every apply callback. */
export class DriverNode {
  readonly callbacks: AppliedRecord[] = [];
  values: string[] = [];
  appliedIndex = 0;
  driver: RaftDriver | undefined;

  constructor(
    readonly id: NodeId,
    readonly storage: MemoryStorage,
  ) {}
}

/**
 * Replicas on RaftDriver over a message queue: deterministic per seed, with shuffled and duplicated
 * delivery, crashes that keep only the MemoryStorage, and a check at every send that the message's
 * promises are durable on its sender.
 */
export class DriverCluster {
  readonly nodes = new Map<NodeId, DriverNode>();
  /** Which kinds of durability promise were checked at send time. */
  readonly checkedPromises = new Map<string, number>();
  /** Every message handed to the transport, in order. */
  readonly sent: Message[] = [];
  private inFlight: Message[] = [];
  private readonly failingSenders = new Map<NodeId, Error>();
  private readonly random: SeededRandom;

  constructor(private readonly options: DriverClusterOptions) {
    this.random = new SeededRandom(options.seed);
    const conf: ConfState = { voters: Array.from({ length: options.voters }, (_, i) => i + 1), learners: [] };
    for (const id of conf.voters) {
      const node = new DriverNode(id, MemoryStorage.bootstrap(conf));
      this.nodes.set(id, node);
      this.start(node);
    }
  }

  node(id: NodeId): DriverNode {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`no node ${id}`);
    return node;
  }

  driver(id: NodeId): RaftDriver {
    const driver = this.node(id).driver;
    if (!driver) throw new Error(`node ${id} is down`);
    return driver;
  }

  /** Keeps only what the node's storage holds, as a power loss would. */
  crash(id: NodeId): void {
    this.node(id).driver = undefined;
  }

  /** The next send of node `id` throws `error` (e.g. the process dies right after its fsync). */
  failNextSend(id: NodeId, error: Error): void {
    this.failingSenders.set(id, error);
  }

  restart(id: NodeId): void {
    const node = this.node(id);
    if (!node.driver) this.start(node);
  }

  leader(): NodeId | undefined {
    let best: { id: NodeId; term: number } | undefined;
    for (const node of this.nodes.values()) {
      const status = node.driver?.node.status();
      if (status?.role === 'leader' && (!best || status.term > best.term))
        best = { id: node.id, term: status.term };
    }
    return best?.id;
  }

  /** Ticks every live node once per round and delivers everything in between, until `done` holds. */
  runUntil(done: () => boolean, maxRounds = 500): boolean {
    for (let round = 0; round < maxRounds; round++) {
      if (done()) return true;
      for (const node of this.nodes.values()) node.driver?.tick();
      this.deliverAll();
    }
    return done();
  }

  proposeOnLeader(value: string): number {
    const leader = this.leader();
    if (leader === undefined) throw new Error('no leader');
    return this.driver(leader).propose(encoder.encode(value)).index;
  }

  /** Delivers in random order (duplicates included) until nothing is in flight. */
  deliverAll(): void {
    for (let rounds = 0; this.inFlight.length > 0 && rounds < 100; rounds++) {
      const batch = this.inFlight;
      this.inFlight = [];
      for (let i = batch.length - 1; i > 0; i--) {
        const j = this.random.nextInt(i + 1);
        [batch[i], batch[j]] = [batch[j] as Message, batch[i] as Message];
      }
      for (const message of batch) this.nodes.get(message.to)?.driver?.step(message);
    }
  }

  private start(node: DriverNode): void {
    const snapshot = node.storage.snapshot();
    node.values = decodeValues(snapshot.data);
    node.appliedIndex = snapshot.metadata.index;
    node.callbacks.push({ kind: 'start', index: snapshot.metadata.index });
    const raw = new RawNode(
      { ...this.options.raft, id: node.id, random: this.random.fork(), applied: snapshot.metadata.index },
      node.storage,
    );
    node.driver = new RaftDriver({
      node: raw,
      storage: node.storage,
      transport: { send: (messages) => this.send(node, messages) },
      application: this.application(node, raw),
    });
    node.driver.drain();
  }

  private send(from: DriverNode, messages: readonly Message[]): void {
    const failure = this.failingSenders.get(from.id);
    if (failure) {
      this.failingSenders.delete(from.id);
      throw failure;
    }
    for (const message of messages) {
      this.sent.push(message);
      const promise = checkPersistedBeforeSend(from.storage, message);
      if (promise) this.checkedPromises.set(promise, (this.checkedPromises.get(promise) ?? 0) + 1);
      this.inFlight.push(message);
      if (this.random.chance(this.options.duplicateRate ?? 0)) this.inFlight.push(message);
    }
  }

  private application(node: DriverNode, raw: RawNode): RaftApplication {
    return {
      restoreSnapshot: (snapshot) => {
        node.callbacks.push({ kind: 'snapshot', index: snapshot.metadata.index });
        node.values = decodeValues(snapshot.data);
        node.appliedIndex = snapshot.metadata.index;
      },
      applyEntry: (entry, confChange: AppliedConfChange | undefined) => {
        const value = decoder.decode(entry.data);
        node.callbacks.push({
          kind: 'entry',
          index: entry.index,
          value,
          ...(confChange ? { confState: confChange.confState } : {}),
        });
        if (entry.type === 'normal' && value !== '') node.values.push(value);
        node.appliedIndex = entry.index;
      },
      afterAdvance: () => this.maybeCompact(node, raw),
    };
  }

  private maybeCompact(node: DriverNode, raw: RawNode): void {
    const every = this.options.snapshotEvery ?? 0;
    if (every <= 0 || node.appliedIndex - node.storage.snapshot().metadata.index < every) return;
    node.storage.createSnapshot(
      node.appliedIndex,
      raw.status().confState,
      encoder.encode(JSON.stringify(node.values)),
    );
    node.storage.compact(node.appliedIndex);
  }
}

function decodeValues(data: Uint8Array): string[] {
  return data.length === 0 ? [] : (JSON.parse(decoder.decode(data)) as string[]);
}
