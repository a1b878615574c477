import type { ChaosOperation } from './history';

export interface LostWrite {
  readonly key: string;
  readonly value: string;
  readonly acknowledgedAt: number;
  readonly finalValue: string | null;
}

/**
 * Acknowledged writes the final state forgot: for each key, the value a read after every client
 * stopped returned must come from a write that was not over before some acknowledged write began;
 * otherwise that later acknowledged write was lost. Values are unique per write. This is a named,
 * readable subset of what the linearizability check covers.
 */
export function lostAcknowledgedWrites(
  history: readonly ChaosOperation[],
  finalValues: ReadonlyMap<string, string | null>,
): LostWrite[] {
  const lost: LostWrite[] = [];
  for (const [key, finalValue] of finalValues) {
    const writes = history.filter((op) => op.input.key === key && op.input.op !== 'get');
    const source = writes.find((op) => 'value' in op.input && op.input.value === finalValue);
    // A write that began after the survivor had completed is ordered after it, so it must have
    // replaced it; no survivor at all means every acknowledged write on the key was lost.
    const survivorCompleted = source ? source.ret : Number.NEGATIVE_INFINITY;
    for (const op of writes) {
      if (op === source || op.input.op === 'get' || !acknowledged(op)) continue;
      if (op.call > survivorCompleted)
        lost.push({ key, value: op.input.value, acknowledgedAt: op.ret, finalValue });
    }
  }
  return lost;
}

function acknowledged(op: ChaosOperation): boolean {
  if (op.ret === Number.POSITIVE_INFINITY) return false;
  if (op.input.op === 'put') return true;
  return op.output !== undefined && 'ok' in op.output && op.output.ok;
}
