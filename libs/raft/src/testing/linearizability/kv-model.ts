import type { KvInput, KvOutput } from '../sim/kv-clients';
import type { HistoryOperation, Model } from './model';

type KvState = string | null;

/** Single-key register with get/put/compare-and-set; the history is partitioned per key. */
export const kvModel: Model<KvState, KvInput, KvOutput> = {
  init: () => null,
  step(state, input, output) {
    switch (input.op) {
      case 'get':
        return { ok: output === undefined || ('value' in output && output.value === state), state };
      case 'put':
        return { ok: true, state: input.value };
      case 'cas': {
        const applies = state === input.expected;
        if (output !== undefined && 'ok' in output && output.ok !== applies) return { ok: false, state };
        return { ok: true, state: applies ? input.value : state };
      }
    }
  },
  partition(operations) {
    const byKey = new Map<string, HistoryOperation<KvInput, KvOutput>[]>();
    for (const op of operations) {
      const list = byKey.get(op.input.key) ?? [];
      list.push(op);
      byKey.set(op.input.key, list);
    }
    return [...byKey.values()];
  },
  stateKey: (state) => (state === null ? '\u0000' : state),
  describe: (op) =>
    `${op.clientId}: ${JSON.stringify(op.input)} -> ${JSON.stringify(op.output)} [${op.call}, ${op.ret}]`,
};
