import { resolveConfig, type RaftConfig, type ResolvedConfig } from '../../core/config';
import { NotLeaderError, RaftError } from '../../core/errors';
import { SeededRandom } from '../../core/random';
import { Raft } from '../../core/raft';
import { RawNode } from '../../core/raw-node';
import type { ConfChange, ConfState, Entry, Message, NodeId, Snapshot, SoftState } from '../../core/types';
import { join } from 'node:path';
import type { AppliedConfChange, RaftApplication } from '../../driver/ports';
import { RaftDriver } from '../../driver/raft-driver';
import { MemoryStorage } from '../../storage/memory-storage';
import type { RaftStorage, SaveBatch } from '../../storage/storage';
import { EventQueue } from './event-queue';
import { InvariantViolation, SafetyChecker, type DurableLogView } from './invariants';
import { encodeKvCommand, KvStateMachine, type KvCommand, type KvResult } from './kv-state-machine';
import { Links, RELIABLE, type NetworkFaults } from './network';
import { memoryDisk, realDisk, type SimDisk } from './sim-disk';
import { durableView, SimNode, type ReadWaiter } from './sim-node';

export type CoreFactory = (config: ResolvedConfig, storage: RaftStorage) => Raft;

export interface ClusterOptions {
  readonly seed: number;
  /** Voters bootstrapped as ids 1..voters. */
  readonly voters: number;
  readonly tickMs?: number;
  readonly network?: NetworkFaults;
  readonly raft?: Partial<Omit<RaftConfig, 'id' | 'random' | 'applied'>>;
  /** Snapshot and compact once this many applied entries sit in the log; 0 = never. */
  readonly snapshotEvery?: number;
  /** Substitute core, for tests that prove a broken rule gets caught. */
  readonly createCore?: CoreFactory;
  readonly checkInvariants?: boolean;
  /** Keep each node's state in a real DiskStorage under this directory (default: in memory). */
  readonly diskDirectory?: string;
}

type Event =
  | { readonly kind: 'deliver'; readonly message: Message; readonly senderIncarnation: number }
  | { readonly kind: 'tick' }
  | { readonly kind: 'call'; readonly run: () => void };

export interface ProposeOutcome {
  readonly index: number;
  readonly term: number;
}

/**
 * A deterministic cluster: virtual time, a virtual network with faults, crash/restart from durable
 * state, and the safety checker run after every event. One seed = one run.
 */
export class SimCluster {
  readonly random: SeededRandom;
  readonly links = new Links();
  readonly checker = new SafetyChecker();
  now = 0;
  events = 0;
  messagesSent = 0;
  /** Messages that are not responses: comparable to 6.824's RPC counts. */
  requestsSent = 0;
  /** Append rejections: what fast backtracking keeps low. */
  appendRejections = 0;
  private readonly sentByType = new Map<string, number>();
  bytesSent = 0;
  network: NetworkFaults;
  private readonly nodes = new Map<NodeId, SimNode>();
  private readonly queue = new EventQueue<Event>();
  private readonly tickMs: number;
  private readonly netRandom: SeededRandom;
  private readonly raftRandom: SeededRandom;
  private readonly appliedData: (Uint8Array | undefined)[] = [];
  private latestConf: { index: number; conf: ConfState };
  private minQuorumSeen: number;
  private nextCommandId = 0;

  constructor(readonly options: ClusterOptions) {
    this.random = new SeededRandom(options.seed);
    this.netRandom = this.random.fork();
    this.raftRandom = this.random.fork();
    this.tickMs = options.tickMs ?? 10;
    this.network = options.network ?? RELIABLE;
    const voters = Array.from({ length: options.voters }, (_, i) => i + 1);
    const conf: ConfState = { voters, learners: [] };
    this.latestConf = { index: 0, conf };
    this.minQuorumSeen = quorumOf(conf);
    for (const id of voters) this.addNode(id, this.newDisk(id, conf));
    this.queue.push(this.tickMs, { kind: 'tick' });
  }

  // ---------------------------------------------------------------- topology

  ids(): NodeId[] {
    return [...this.nodes.keys()];
  }

  liveIds(): NodeId[] {
    return this.ids().filter((id) => this.node(id).alive);
  }

  /** Starts a brand-new, empty server (not in any configuration until a conf change adds it). */
  addNode(id: NodeId, disk: SimDisk = this.newDisk(id)): void {
    if (this.nodes.has(id)) throw new RaftError(`node ${id} exists`);
    const node = new SimNode(id, disk);
    this.nodes.set(id, node);
    this.start(node);
  }

  crash(id: NodeId): void {
    const node = this.node(id);
    node.driver = undefined;
    node.incarnation++;
    node.proposalWaiters.clear();
    node.readWaiters.clear();
    node.readyReads.length = 0;
    node.soft = { lead: 0, role: 'follower' };
  }

  restart(id: NodeId): void {
    const node = this.node(id);
    if (node.alive) return;
    node.disk = node.disk.reopen(); // on a real disk this runs WAL recovery
    this.start(node);
  }

  /** Releases file handles of on-disk nodes. */
  close(): void {
    for (const node of this.nodes.values()) node.disk.close();
  }

  private newDisk(id: NodeId, founders?: ConfState): SimDisk {
    const directory = this.options.diskDirectory;
    if (directory !== undefined) return realDisk(join(directory, `node-${id}`), founders);
    return memoryDisk(founders ? MemoryStorage.bootstrap(founders) : new MemoryStorage());
  }

  disconnect(id: NodeId): void {
    this.links.isolate(id, this.ids());
  }

  connect(id: NodeId): void {
    this.links.reconnect(id, this.ids());
  }

  setDiskLatency(id: NodeId, ms: number): void {
    this.node(id).diskLatencyMs = ms;
  }

  // ---------------------------------------------------------------- observation

  isAlive(id: NodeId): boolean {
    return this.node(id).alive;
  }

  role(id: NodeId): SoftState['role'] {
    return this.node(id).soft.role;
  }

  termOf(id: NodeId): number {
    return this.node(id).raw?.status().term ?? 0;
  }

  rawNode(id: NodeId): RawNode | undefined {
    return this.node(id).raw;
  }

  appliedIndex(id: NodeId): number {
    return this.node(id).machine.appliedIndex;
  }

  valueOf(id: NodeId, key: string): string | null {
    return this.node(id).machine.get(key);
  }

  confState(): ConfState {
    return this.latestConf.conf;
  }

  /**
   * The live leader of the highest term among nodes that can reach a majority of live nodes' view,
   * like 6.824's checkOneLeader; undefined if none.
   */
  leader(): NodeId | undefined {
    let best: { id: NodeId; term: number } | undefined;
    for (const node of this.nodes.values()) {
      if (!node.alive || node.soft.role !== 'leader') continue;
      if (!best || node.term > best.term) best = { id: node.id, term: node.term };
    }
    return best?.id;
  }

  /** Leaders that still believe they lead, whatever their term. */
  leaders(): NodeId[] {
    return this.liveIds().filter((id) => this.node(id).soft.role === 'leader');
  }

  /** The command applied at index (by any node), if any node applied it. */
  appliedDataAt(index: number): Uint8Array | undefined {
    return this.appliedData[index];
  }

  /** How many live-or-dead nodes have applied index, like 6.824's nCommitted. */
  appliedCount(index: number): number {
    let count = 0;
    for (const node of this.nodes.values()) if (node.machine.appliedIndex >= index) count++;
    return count;
  }

  sentCount(type: Message['type']): number {
    return this.sentByType.get(type) ?? 0;
  }

  /** Entries still held in a node's durable log (compaction keeps this bounded). */
  logLength(id: NodeId): number {
    const storage = this.node(id).storage;
    return storage.lastIndex() - storage.firstIndex() + 1;
  }

  maxCommitted(): number {
    return this.checker.maxCommitted;
  }

  // ---------------------------------------------------------------- time

  runFor(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const at = this.queue.peekTime();
      if (at === undefined || at > end) break;
      this.processNext();
    }
    this.now = end;
  }

  /** Runs until predicate holds (checked after every event) or maxMs passes; returns whether it held. */
  runUntil(predicate: () => boolean, maxMs: number): boolean {
    const end = this.now + maxMs;
    if (predicate()) return true;
    for (;;) {
      const at = this.queue.peekTime();
      if (at === undefined || at > end) break;
      this.processNext();
      if (predicate()) return true;
    }
    this.now = end;
    return predicate();
  }

  schedule(delayMs: number, run: () => void): void {
    this.queue.push(this.now + delayMs, { kind: 'call', run });
  }

  // ---------------------------------------------------------------- client entry points

  /** Proposes a put on `id`; throws NotLeaderError (with hint), BackpressureError, … from the core. */
  propose(id: NodeId, command: KvCommand, onResult?: (result: KvResult) => void): ProposeOutcome {
    const node = this.liveNode(id);
    // The waiter is registered before the Ready is handled: a single-node cluster applies at once.
    return (node.driver as RaftDriver).run((raw) => {
      const outcome = raw.propose(encodeKvCommand(command));
      if (onResult) node.proposalWaiters.set(command.id, onResult);
      return outcome;
    });
  }

  /** Proposes `put key=value` with a fresh command id on `id`. */
  proposeValue(id: NodeId, value: string, key = 'k'): ProposeOutcome {
    return this.propose(id, { id: this.freshCommandId(), op: 'put', key, value });
  }

  freshCommandId(): string {
    return `c${this.nextCommandId++}`;
  }

  proposeConfChange(id: NodeId, change: ConfChange): ProposeOutcome {
    return (this.liveNode(id).driver as RaftDriver).proposeConfChange(change);
  }

  /** Linearizable read through ReadIndex on any node (followers forward to the leader). */
  read(id: NodeId, key: string, context: string, done: ReadWaiter): void {
    const node = this.liveNode(id);
    (node.driver as RaftDriver).run((raw) => {
      raw.readIndex(context);
      node.readWaiters.set(context, { key, done });
    });
  }

  /** Deliberately unsafe read of local state, for tests proving the checker catches stale reads. */
  readLocalUnsafe(id: NodeId, key: string): string | null {
    return this.liveNode(id).machine.get(key);
  }

  transferLeadership(id: NodeId, target: NodeId): void {
    (this.liveNode(id).driver as RaftDriver).transferLeadership(target);
  }

  /** Runs any action against a node's RawNode, then handles the resulting Ready. */
  withNode<T>(id: NodeId, action: (raw: RawNode) => T): T {
    return (this.liveNode(id).driver as RaftDriver).run(action);
  }

  // ---------------------------------------------------------------- engine

  private node(id: NodeId): SimNode {
    const node = this.nodes.get(id);
    if (!node) throw new RaftError(`no node ${id}`);
    return node;
  }

  private liveNode(id: NodeId): SimNode {
    const node = this.node(id);
    if (!node.alive) throw new NotLeaderError(0, { cause: new RaftError(`node ${id} is down`) });
    return node;
  }

  private start(node: SimNode): void {
    const snapshot = node.storage.snapshot();
    node.machine = KvStateMachine.restore(snapshot.data);
    const config: RaftConfig = {
      ...this.options.raft,
      id: node.id,
      random: this.raftRandom.fork(),
      applied: snapshot.metadata.index,
    };
    const raw = this.options.createCore
      ? RawNode.fromCore(this.options.createCore(resolveConfig(config), node.storage))
      : new RawNode(config, node.storage);
    const driver = new RaftDriver({
      node: raw,
      storage: { save: (batch) => this.persist(node, batch) },
      transport: { send: (messages) => this.send(node, messages) },
      application: this.application(node, raw),
    });
    node.driver = driver;
    node.term = raw.status().term;
    node.soft = { lead: 0, role: 'follower' };
    this.checker.onRestart(node.id, snapshot.metadata.index);
    driver.drain();
  }

  /** The state machine and the checks the simulator hangs on the driver's apply callbacks. */
  private application(node: SimNode, raw: RawNode): RaftApplication {
    return {
      onSoftState: (soft) => this.onSoftState(node, raw, soft),
      restoreSnapshot: (snapshot) => this.restoreSnapshot(node, snapshot),
      applyEntry: (entry, confChange) => this.applyEntry(node, entry, confChange),
      onReadStates: (reads) => node.readyReads.push(...reads),
      afterAdvance: () => {
        this.serveReads(node);
        this.maybeCompact(node, raw);
      },
    };
  }

  private processNext(): void {
    const next = this.queue.pop();
    if (!next) return;
    this.now = next.at;
    this.events++;
    const event = next.item;
    if (event.kind === 'tick') {
      for (const node of this.nodes.values()) node.driver?.tick();
      this.queue.push(this.now + this.tickMs, { kind: 'tick' });
    } else if (event.kind === 'deliver') {
      this.deliver(event.message, event.senderIncarnation);
    } else {
      event.run();
    }
    if (this.options.checkInvariants !== false) this.checkGlobalInvariants();
  }

  private deliver(message: Message, senderIncarnation: number): void {
    const sender = this.nodes.get(message.from);
    const target = this.nodes.get(message.to);
    if (!target?.driver || sender?.incarnation !== senderIncarnation) return;
    if (!this.links.isUp(message.from, message.to)) return; // partitioned while in flight
    target.driver.step(message);
  }

  private send(node: SimNode, messages: readonly Message[]): void {
    for (const message of messages) this.sendOne(node, message);
  }

  /** Counts one message and puts its deliveries on the queue; a slow fsync before it delays them all. */
  private sendOne(node: SimNode, message: Message): void {
    this.messagesSent++;
    if (!message.type.endsWith('-resp')) this.requestsSent++;
    if (message.type === 'app-resp' && message.reject) this.appendRejections++;
    this.sentByType.set(message.type, (this.sentByType.get(message.type) ?? 0) + 1);
    for (const entry of message.entries ?? []) this.bytesSent += entry.data.length;
    this.bytesSent += message.chunk?.data.length ?? 0;
    if (!this.links.isUp(message.from, message.to)) return;
    for (const delay of this.links.deliveryDelays(this.network, this.netRandom)) {
      this.queue.push(this.now + node.lastSaveMs + delay, {
        kind: 'deliver',
        message,
        senderIncarnation: node.incarnation,
      });
    }
  }

  private onSoftState(node: SimNode, raw: RawNode, soft: SoftState): void {
    const becameLeader = soft.role === 'leader' && node.soft.role !== 'leader';
    node.soft = soft;
    node.term = raw.status().term;
    if (soft.role !== 'leader') return;
    this.checker.onLeader(node.id, node.term);
    if (becameLeader) {
      this.checker.onBecomeLeader(node.id, node.term, (index) => raw.logTermAt(index), raw.firstIndex());
    }
  }

  /** The driver's storage: safety checks on what is about to become durable, then the (slow) disk. */
  private persist(node: SimNode, batch: SaveBatch): void {
    if (batch.entries.length > 0) {
      // Entries that follow a snapshot in the same Ready sit on top of that snapshot, not the old log.
      const base = batch.snapshot ? snapshotView(batch.snapshot.metadata) : durableView(node.storage);
      const baseLast = batch.snapshot ? batch.snapshot.metadata.index : node.storage.lastIndex();
      this.checker.beforePersist(node.id, node.soft.role === 'leader', batch.entries, base, baseLast);
    }
    if (batch.hardState) this.checker.onPersistHardState(node.id, batch.hardState);
    node.disk.save(batch);
    node.lastSaveMs = batch.mustSync ? node.diskLatencyMs : 0;
    node.term = Math.max(node.term, batch.hardState?.term ?? 0);
  }

  private restoreSnapshot(node: SimNode, snapshot: Snapshot): void {
    node.machine = KvStateMachine.restore(snapshot.data);
    this.checker.onSnapshotApplied(node.id, node.machine.appliedIndex, node.machine.hash);
  }

  private applyEntry(node: SimNode, entry: Entry, confChange: AppliedConfChange | undefined): void {
    if (confChange) {
      const conf = confChange.confState;
      if (entry.index > this.latestConf.index) {
        this.latestConf = { index: entry.index, conf };
        this.minQuorumSeen = Math.min(this.minQuorumSeen, quorumOf(conf));
      }
    }
    const outcome = node.machine.apply(entry);
    this.checker.onApply(node.id, entry, node.machine.hash);
    this.appliedData[entry.index] ??= entry.data;
    if (!outcome) return;
    const waiter = node.proposalWaiters.get(outcome.command.id);
    if (waiter) {
      node.proposalWaiters.delete(outcome.command.id);
      waiter(outcome.result);
    }
  }

  private serveReads(node: SimNode): void {
    if (node.readyReads.length === 0) return;
    const remaining: { index: number; context: string }[] = [];
    for (const read of node.readyReads) {
      if (read.index > node.machine.appliedIndex) {
        remaining.push(read);
        continue;
      }
      const waiter = node.readWaiters.get(read.context);
      if (!waiter) continue;
      node.readWaiters.delete(read.context);
      waiter.done(node.machine.get(waiter.key));
    }
    node.readyReads.length = 0;
    node.readyReads.push(...remaining);
  }

  private maybeCompact(node: SimNode, raw: RawNode): void {
    const every = this.options.snapshotEvery ?? 0;
    if (every <= 0) return;
    const applied = node.machine.appliedIndex;
    if (applied - node.storage.firstIndex() + 1 < every) return;
    // Keep a short tail, as etcd does, so a follower one message behind needs no InstallSnapshot.
    node.disk.snapshot(
      applied,
      raw.status().confState,
      node.machine.snapshot(),
      applied - Math.floor(every / 2),
    );
  }

  private checkGlobalInvariants(): void {
    const views: DurableLogView[] = [];
    for (const node of this.nodes.values()) views.push(durableView(node.storage));
    this.checker.checkDurability(views, this.minQuorumSeen);
  }
}

function snapshotView(metadata: { index: number; term: number }): DurableLogView {
  return {
    snapshotIndex: () => metadata.index,
    termAt: (index) => (index === metadata.index ? metadata.term : undefined),
  };
}

function quorumOf(conf: ConfState): number {
  return Math.floor(conf.voters.length / 2) + 1;
}

export { InvariantViolation };
