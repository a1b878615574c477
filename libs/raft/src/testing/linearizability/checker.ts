import type { HistoryOperation, Model } from './model';

export type CheckResult<Input, Output> =
  | { readonly linearizable: true }
  | { readonly linearizable: false; readonly partition: readonly HistoryOperation<Input, Output>[] }
  | { readonly linearizable: 'unknown'; readonly reason: string };

interface Node {
  readonly op: number;
  readonly isCall: boolean;
  readonly time: number;
  match: Node | undefined; // call -> its return
  prev: Node | undefined;
  next: Node | undefined;
}

/**
 * Wing & Gong's linearizability search with Lowe's memoisation, as in Porcupine: walk the history,
 * tentatively linearize each pending call whose step the model accepts, backtrack on a return whose
 * call could not be placed, and cache (linearized set, state) pairs already explored.
 */
export function checkLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: readonly HistoryOperation<Input, Output>[],
  options: { maxSteps?: number } = {},
): CheckResult<Input, Output> {
  const partitions = model.partition ? model.partition(history) : [history.slice()];
  for (const partition of partitions) {
    const result = checkPartition(model, partition, options.maxSteps ?? 5_000_000);
    if (result === 'unknown') return { linearizable: 'unknown', reason: 'search step budget exhausted' };
    if (!result) return { linearizable: false, partition };
  }
  return { linearizable: true };
}

function checkPartition<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: readonly HistoryOperation<Input, Output>[],
  maxSteps: number,
): boolean | 'unknown' {
  const head = buildList(ops);
  const linearized = new Uint32Array(Math.ceil(ops.length / 32) + 1);
  const cache = new Set<string>();
  const stack: { node: Node; state: State }[] = [];
  let state = model.init();
  let entry = head.next;
  let steps = 0;
  while (head.next !== undefined) {
    if (++steps > maxSteps) return 'unknown';
    if (entry?.isCall) {
      const op = ops[entry.op] as HistoryOperation<Input, Output>;
      const { ok, state: next } = model.step(state, op.input, op.output);
      if (ok) {
        setBit(linearized, entry.op, true);
        const key = `${bitsKey(linearized)}|${model.stateKey(next)}`;
        if (!cache.has(key)) {
          cache.add(key);
          stack.push({ node: entry, state });
          state = next;
          lift(entry);
          entry = head.next;
          continue;
        }
        setBit(linearized, entry.op, false);
      }
      entry = entry.next;
    } else {
      // A return whose call is still unplaced: undo the most recent choice and try the next one.
      const top = stack.pop();
      if (!top) return false;
      state = top.state;
      setBit(linearized, top.node.op, false);
      unlift(top.node);
      entry = top.node.next;
    }
  }
  return true;
}

function buildList<Input, Output>(ops: readonly HistoryOperation<Input, Output>[]): Node {
  const events: Node[] = [];
  ops.forEach((op, index) => {
    const call: Node = {
      op: index,
      isCall: true,
      time: op.call,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    const ret: Node = {
      op: index,
      isCall: false,
      time: op.ret,
      match: undefined,
      prev: undefined,
      next: undefined,
    };
    call.match = ret;
    events.push(call, ret);
  });
  // Calls sort before returns at equal times, so operations touching at one instant count as concurrent.
  events.sort((a, b) => a.time - b.time || Number(b.isCall) - Number(a.isCall) || a.op - b.op);
  const head: Node = {
    op: -1,
    isCall: false,
    time: -Infinity,
    match: undefined,
    prev: undefined,
    next: undefined,
  };
  let previous = head;
  for (const event of events) {
    previous.next = event;
    event.prev = previous;
    previous = event;
  }
  return head;
}

/** Removes a call and its return from the list (they are linearized). */
function lift(call: Node): void {
  unlink(call);
  unlink(call.match as Node);
}

function unlift(call: Node): void {
  relink(call.match as Node);
  relink(call);
}

function unlink(node: Node): void {
  (node.prev as Node).next = node.next;
  if (node.next) node.next.prev = node.prev;
}

function relink(node: Node): void {
  (node.prev as Node).next = node;
  if (node.next) node.next.prev = node;
}

function setBit(bits: Uint32Array, index: number, value: boolean): void {
  const word = index >>> 5;
  const mask = 1 << (index & 31);
  bits[word] = value ? (bits[word] as number) | mask : (bits[word] as number) & ~mask;
}

function bitsKey(bits: Uint32Array): string {
  return Array.prototype.join.call(bits, ',');
}
