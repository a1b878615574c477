import { Packr } from 'msgpackr';
import type { ReplicatedStateMachine } from './state-machine.port';

/**
 * A revisioned key-value store with client sessions, as the replicas apply it: every mutation
 * bumps the store's revision; a key remembers the revision that created it, the one that last
 * changed it, and how often it changed (etcd's create/mod revision and version). Sessions give
 * exactly-once commands across retries (Raft thesis §6.3): a command carrying a client id and
 * sequence number is applied once; a retry gets the response recorded the first time.
 */
const packr = new Packr({ useRecords: false, moreTypes: false });

export interface KeyValue {
  readonly key: string;
  readonly value: string;
  readonly createRevision: number;
  readonly modRevision: number;
  readonly version: number;
}

export type KvOp =
  | { readonly type: 'put'; readonly key: string; readonly value: string }
  | { readonly type: 'delete'; readonly key: string; readonly prefix?: boolean };

export interface Compare {
  readonly key: string;
  readonly target: 'version' | 'value' | 'modRevision' | 'createRevision';
  readonly op: '==' | '!=' | '<' | '>';
  readonly value: string | number;
}

export type KvCommand =
  | KvOp
  | {
      readonly type: 'txn';
      readonly compare: readonly Compare[];
      readonly success: readonly KvOp[];
      readonly failure: readonly KvOp[];
    };

/** A command as it sits in the log: the operation and, for exactly-once, its session. */
export interface LoggedCommand {
  readonly command: KvCommand;
  readonly clientId?: string;
  readonly seq?: number;
  /** Every sequence number below this one has been answered: their responses may be forgotten. */
  readonly ackBelow?: number;
}

export type KvQuery =
  | { readonly type: 'get'; readonly key: string }
  | { readonly type: 'range'; readonly prefix: string; readonly limit?: number }
  | {
      readonly type: 'watch';
      readonly key: string;
      readonly prefix?: boolean;
      readonly fromRevision: number;
    };

export interface WatchEvent {
  readonly type: 'put' | 'delete';
  readonly revision: number;
  readonly key: string;
  readonly value?: string;
}

interface Session {
  ackBelow: number;
  readonly responses: Map<number, unknown>;
}

/** Watch history kept for resuming watchers; older revisions are compacted. */
const HISTORY_LIMIT = 10_000;

export class StaleSequenceError extends Error {}

export class KvStateMachine implements ReplicatedStateMachine {
  private revision = 0;
  private compactedRevision = 0;
  private kvs = new Map<string, KeyValue>();
  private sessions = new Map<string, Session>();
  private history: WatchEvent[] = [];
  private readonly listeners = new Set<(event: WatchEvent) => void>();

  static encode(command: LoggedCommand): Uint8Array {
    return packr.pack(command);
  }

  currentRevision(): number {
    return this.revision;
  }

  /** Called with every change once it is applied (after the whole command). */
  onChange(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  apply(_index: number, bytes: Uint8Array): unknown {
    const logged = packr.unpack(bytes) as LoggedCommand;
    const { clientId, seq } = logged;
    if (clientId === undefined || seq === undefined) return this.execute(logged.command);
    const session = this.session(clientId);
    if (logged.ackBelow !== undefined && logged.ackBelow > session.ackBelow) {
      for (const old of session.responses.keys()) if (old < logged.ackBelow) session.responses.delete(old);
      session.ackBelow = logged.ackBelow;
    }
    if (session.responses.has(seq)) return session.responses.get(seq);
    if (seq < session.ackBelow) return { error: 'STALE_SEQUENCE', seq };
    const response = this.execute(logged.command);
    session.responses.set(seq, response);
    return response;
  }

  query(query: unknown): unknown {
    const q = query as KvQuery;
    switch (q.type) {
      case 'get':
        return { kv: this.kvs.get(q.key) ?? null, revision: this.revision };
      case 'range':
        return { kvs: this.range(q.prefix, q.limit ?? 1000), revision: this.revision };
      case 'watch':
        return this.eventsSince(q.key, q.prefix ?? false, q.fromRevision);
    }
  }

  /** Changes of a key (or prefix) from `fromRevision` on; `compacted` if history no longer reaches it. */
  eventsSince(key: string, prefix: boolean, fromRevision: number) {
    if (fromRevision <= this.compactedRevision && fromRevision > 0 && this.compactedRevision > 0)
      return {
        compacted: true,
        compactedRevision: this.compactedRevision,
        events: [],
        revision: this.revision,
      };
    const events = this.history.filter(
      (event) => event.revision >= fromRevision && (prefix ? event.key.startsWith(key) : event.key === key),
    );
    return { compacted: false, events, revision: this.revision };
  }

  snapshot(): Uint8Array {
    return packr.pack({
      revision: this.revision,
      compactedRevision: this.compactedRevision,
      kvs: [...this.kvs.values()],
      sessions: [...this.sessions].map(([id, s]) => [id, s.ackBelow, [...s.responses]]),
      history: this.history,
    });
  }

  restore(data: Uint8Array): void {
    const state = packr.unpack(data) as {
      revision: number;
      compactedRevision: number;
      kvs: KeyValue[];
      sessions: [string, number, [number, unknown][]][];
      history: WatchEvent[];
    };
    this.revision = state.revision;
    this.compactedRevision = state.compactedRevision;
    this.kvs = new Map(state.kvs.map((kv) => [kv.key, kv]));
    this.sessions = new Map(
      state.sessions.map(([id, ackBelow, responses]) => [id, { ackBelow, responses: new Map(responses) }]),
    );
    this.history = state.history;
  }

  private session(clientId: string): Session {
    let session = this.sessions.get(clientId);
    if (!session) {
      session = { ackBelow: 0, responses: new Map() };
      this.sessions.set(clientId, session);
    }
    return session;
  }

  private execute(command: KvCommand): unknown {
    if (command.type !== 'txn') return this.executeOp(command);
    const succeeded = command.compare.every((compare) => this.holds(compare));
    const responses = (succeeded ? command.success : command.failure).map((op) => this.executeOp(op));
    return { succeeded, revision: this.revision, responses };
  }

  private executeOp(op: KvOp): unknown {
    if (op.type === 'put') return this.put(op.key, op.value);
    const keys = op.prefix ? this.range(op.key, Number.MAX_SAFE_INTEGER).map((kv) => kv.key) : [op.key];
    const present = keys.filter((key) => this.kvs.has(key));
    if (present.length === 0) return { deleted: 0, revision: this.revision };
    this.revision++;
    for (const key of present) {
      this.kvs.delete(key);
      this.record({ type: 'delete', revision: this.revision, key });
    }
    return { deleted: present.length, revision: this.revision };
  }

  private put(key: string, value: string): unknown {
    this.revision++;
    const previous = this.kvs.get(key);
    const kv: KeyValue = {
      key,
      value,
      createRevision: previous?.createRevision ?? this.revision,
      modRevision: this.revision,
      version: (previous?.version ?? 0) + 1,
    };
    this.kvs.set(key, kv);
    this.record({ type: 'put', revision: this.revision, key, value });
    return { revision: this.revision, previous: previous ?? null };
  }

  private holds({ key, target, op, value }: Compare): boolean {
    const kv = this.kvs.get(key);
    const actual: string | number =
      target === 'value'
        ? (kv?.value ?? '')
        : target === 'version'
          ? (kv?.version ?? 0)
          : (kv?.[target] ?? 0);
    switch (op) {
      case '==':
        return actual === value;
      case '!=':
        return actual !== value;
      case '<':
        return actual < value;
      case '>':
        return actual > value;
    }
  }

  private range(prefix: string, limit: number): KeyValue[] {
    return [...this.kvs.keys()]
      .filter((key) => key.startsWith(prefix))
      .sort()
      .slice(0, limit)
      .map((key) => this.kvs.get(key) as KeyValue);
  }

  private record(event: WatchEvent): void {
    this.history.push(event);
    if (this.history.length > HISTORY_LIMIT) {
      const dropped = this.history.splice(0, this.history.length - HISTORY_LIMIT);
      this.compactedRevision = (dropped[dropped.length - 1] as WatchEvent).revision;
    }
    for (const listener of this.listeners) listener(event);
  }
}
