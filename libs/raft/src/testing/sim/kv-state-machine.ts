import type { Entry } from '../../core/types';

export type KvCommand =
  | { readonly id: string; readonly op: 'put'; readonly key: string; readonly value: string }
  | {
      readonly id: string;
      readonly op: 'cas';
      readonly key: string;
      readonly expected: string | null;
      readonly value: string;
    };

export interface KvResult {
  readonly ok: boolean;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export function encodeKvCommand(command: KvCommand): Uint8Array {
  return encoder.encode(JSON.stringify(command));
}

/**
 * The replicated state machine of the simulator: a key-value map with compare-and-set. It also keeps
 * a rolling hash of every entry applied, so two replicas at the same index can be compared in O(1)
 * (state-machine safety), including across snapshots.
 */
export class KvStateMachine {
  appliedIndex = 0;
  hash = 0x811c9dc5;
  private readonly data = new Map<string, string>();

  get(key: string): string | null {
    return this.data.get(key) ?? null;
  }

  /** Applies one committed entry; returns the command and its result when it was a KV command. */
  apply(entry: Entry): { command: KvCommand; result: KvResult } | undefined {
    this.appliedIndex = entry.index;
    this.hash = fnv1a(this.hash, entry.data);
    if (entry.type !== 'normal' || entry.data.length === 0) return undefined;
    const command = JSON.parse(decoder.decode(entry.data)) as KvCommand;
    if (command.op === 'put') {
      this.data.set(command.key, command.value);
      return { command, result: { ok: true } };
    }
    const current = this.data.get(command.key) ?? null;
    const ok = current === command.expected;
    if (ok) this.data.set(command.key, command.value);
    return { command, result: { ok } };
  }

  snapshot(): Uint8Array {
    return encoder.encode(
      JSON.stringify({ index: this.appliedIndex, hash: this.hash, data: [...this.data] }),
    );
  }

  static restore(bytes: Uint8Array): KvStateMachine {
    const machine = new KvStateMachine();
    if (bytes.length === 0) return machine;
    const parsed = JSON.parse(decoder.decode(bytes)) as {
      index: number;
      hash: number;
      data: [string, string][];
    };
    machine.appliedIndex = parsed.index;
    machine.hash = parsed.hash;
    for (const [key, value] of parsed.data) machine.data.set(key, value);
    return machine;
  }
}

export function fnv1a(seed: number, bytes: Uint8Array): number {
  let hash = seed;
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i] as number;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  // Separator, so [ab][c] and [a][bc] differ.
  hash ^= 0xff;
  return Math.imul(hash, 0x01000193) >>> 0;
}
