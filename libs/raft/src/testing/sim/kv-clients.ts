import { NotLeaderError } from '../../core/errors';
import type { SeededRandom } from '../../core/random';
import type { NodeId } from '../../core/types';
import type { SimCluster } from './cluster';
import type { KvCommand } from './kv-state-machine';

export type KvInput =
  | { readonly op: 'get'; readonly key: string }
  | { readonly op: 'put'; readonly key: string; readonly value: string }
  | { readonly op: 'cas'; readonly key: string; readonly expected: string | null; readonly value: string };

export type KvOutput = { readonly value: string | null } | { readonly ok: boolean } | Record<string, never>;

/** One client operation: call/ret are logical times; ret = Infinity when the outcome is unknown. */
export interface Operation {
  readonly clientId: number;
  readonly input: KvInput;
  readonly output: KvOutput | undefined;
  readonly call: number;
  readonly ret: number;
}

export interface KvClientOptions {
  readonly clients: number;
  readonly keys: readonly string[];
  /** Give up on an operation after this long; its outcome is then unknown. */
  readonly timeoutMs: number;
  readonly readRatio: number;
  readonly casRatio: number;
  /** 'read-index' is linearizable; 'local' reads a node's state directly (deliberately unsafe). */
  readonly reads: 'read-index' | 'local';
}

interface InFlight {
  readonly clientId: number;
  readonly input: KvInput;
  readonly call: number;
  done: boolean;
}

/**
 * Closed-loop clients in the simulator: each runs one operation at a time, follows leader hints,
 * and records a history for the linearizability checker.
 */
export class KvClients {
  readonly history: Operation[] = [];
  /** Values of puts/CAS that clients saw succeed: they must all be in the final state's history. */
  readonly acknowledgedWrites: string[] = [];
  private clock = 0;
  private running = true;
  private nextProcessId: number;
  private nextValue = 0;
  private nextReadContext = 0;
  private leaderGuess: NodeId | undefined;

  constructor(
    private readonly cluster: SimCluster,
    private readonly random: SeededRandom,
    private readonly options: KvClientOptions,
  ) {
    this.nextProcessId = options.clients;
  }

  start(): void {
    for (let id = 0; id < this.options.clients; id++)
      this.cluster.schedule(this.random.nextInt(10), () => this.issue(id));
  }

  stop(): void {
    this.running = false;
  }

  completed(): number {
    return this.history.filter((op) => op.ret !== Number.POSITIVE_INFINITY).length;
  }

  private issue(clientId: number): void {
    if (!this.running) return;
    const op: InFlight = { clientId, input: this.randomInput(clientId), call: this.clock++, done: false };
    this.cluster.schedule(this.options.timeoutMs, () => this.timeOut(op));
    this.attempt(op);
  }

  private attempt(op: InFlight): void {
    if (op.done) return;
    const target = this.pickTarget();
    try {
      if (op.input.op === 'get') {
        if (this.options.reads === 'local') {
          this.finish(op, { value: this.cluster.readLocalUnsafe(target, op.input.key) });
          return;
        }
        this.cluster.read(target, op.input.key, `r${this.nextReadContext++}`, (value) =>
          this.finish(op, { value }),
        );
      } else {
        const command: KvCommand = { id: this.cluster.freshCommandId(), ...op.input };
        this.cluster.propose(target, command, (result) => {
          this.finish(op, op.input.op === 'cas' ? { ok: result.ok } : {});
        });
        this.leaderGuess = target;
      }
    } catch (error) {
      // Not accepted (not leader, down, backpressure): nothing was proposed, so retrying is safe.
      this.leaderGuess = error instanceof NotLeaderError && error.leaderHint ? error.leaderHint : undefined;
      this.cluster.schedule(1 + this.random.nextInt(10), () => this.attempt(op));
    }
  }

  private finish(op: InFlight, output: KvOutput): void {
    if (op.done) return;
    op.done = true;
    this.history.push({ clientId: op.clientId, input: op.input, output, call: op.call, ret: this.clock++ });
    if (op.input.op === 'put' || (op.input.op === 'cas' && 'ok' in output && output.ok)) {
      this.acknowledgedWrites.push(op.input.value);
    }
    this.cluster.schedule(this.random.nextInt(5), () => this.issue(op.clientId));
  }

  /** Unknown outcome: keep it in the history (it may have taken effect) and continue as a new process. */
  private timeOut(op: InFlight): void {
    if (op.done) return;
    op.done = true;
    if (op.input.op !== 'get') {
      this.history.push({
        clientId: op.clientId,
        input: op.input,
        output: undefined,
        call: op.call,
        ret: Number.POSITIVE_INFINITY,
      });
    }
    const fresh = this.nextProcessId++;
    this.cluster.schedule(this.random.nextInt(5), () => this.issue(fresh));
  }

  private pickTarget(): NodeId {
    const live = this.cluster.liveIds();
    if (this.leaderGuess !== undefined && this.cluster.isAlive(this.leaderGuess) && this.random.chance(0.9)) {
      return this.leaderGuess;
    }
    return this.random.pick(live.length > 0 ? live : this.cluster.ids());
  }

  private randomInput(clientId: number): KvInput {
    const key = this.random.pick(this.options.keys);
    const roll = this.random.nextFloat();
    if (roll < this.options.readRatio) return { op: 'get', key };
    const value = `${clientId}.${this.nextValue++}`;
    if (roll < this.options.readRatio + this.options.casRatio) {
      const expected = this.random.chance(0.3) ? null : this.lastWrittenValue(key);
      return { op: 'cas', key, expected, value };
    }
    return { op: 'put', key, value };
  }

  private lastWrittenValue(key: string): string | null {
    for (let i = this.history.length - 1; i >= 0; i--) {
      const op = this.history[i] as Operation;
      if (op.input.key !== key) continue;
      if (op.input.op === 'get' && op.output && 'value' in op.output) return op.output.value;
      if (op.input.op !== 'get') return op.input.value;
    }
    return null;
  }
}
