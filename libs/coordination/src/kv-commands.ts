import { checkFence as fenceRule } from '@kailash/leasing';
import type {
  CasCommand,
  Compare,
  CompactCommand,
  DeleteCommand,
  Fence,
  KeyRange,
  PutCommand,
  RangeCommand,
  TxnCommand,
  TxnOp,
} from './commands';
import type { Entry } from './entry';
import { isRefused } from './entry';
import { entriesIn, inRange, isReserved, keyValueOf, range } from './queries';
import { leaseNotFound, leaseRefused, refusal, Refused, reservedKey } from './refusals';
import type { KeyValue, OkResult, TxnOpResult } from './responses';

/** The KV commands, etcd's semantics. Each checks everything first, so a refusal changes nothing. */

export function put(entry: Entry, command: PutCommand): OkResult<'put'> | Refused {
  const refused = checkFence(entry, command.fence) ?? checkPut(entry, command);
  if (refused) return refused;
  const prevKv = entry.put(command.key, command.value, command.lease ?? 0);
  return command.prevKv && prevKv ? { prevKv } : {};
}

export function deleteRange(entry: Entry, command: DeleteCommand): OkResult<'delete'> | Refused {
  return checkFence(entry, command.fence) ?? deleteKeys(entry, command);
}

export function rangeRead(entry: Entry, command: RangeCommand): OkResult<'range'> {
  return range(entry.state, command);
}

export function cas(entry: Entry, command: CasCommand): OkResult<'cas'> | Refused {
  const refused = checkFence(entry, command.fence) ?? checkPut(entry, command);
  if (refused) return refused;
  const stored = entry.state.keys.get(command.key);
  const matches =
    (command.expectedModRevision === undefined ||
      (stored?.modRevision ?? 0) === command.expectedModRevision) &&
    (command.expectedValue === undefined || stored?.value === command.expectedValue);
  if (!matches) return { succeeded: false, ...(stored ? { current: keyValueOf(command.key, stored) } : {}) };
  const prevKv = entry.put(command.key, command.value, command.lease ?? 0);
  const current = keyValueOf(command.key, entry.state.keys.get(command.key) as NonNullable<typeof stored>);
  return { succeeded: true, ...(command.prevKv && prevKv ? { prevKv } : {}), current };
}

export function txn(entry: Entry, command: TxnCommand): OkResult<'txn'> | Refused {
  const fenced = checkFence(entry, command.fence);
  if (fenced) return fenced;
  const duplicate = findDuplicateWrite(command.success) ?? findDuplicateWrite(command.failure);
  if (duplicate !== undefined) {
    return refusal('VALIDATION_FAILED', 'duplicate-key', `a txn branch writes key '${duplicate}' twice`, {
      key: duplicate,
    });
  }
  const succeeded = command.compare.every((compare) => holds(entry, compare));
  const ops = succeeded ? command.success : command.failure;
  for (const op of ops) {
    const refused = op.op === 'put' ? checkPut(entry, op) : undefined;
    if (refused) return refused;
  }
  const responses = ops.map((op) => runTxnOp(entry, op));
  return { succeeded, responses };
}

/** etcd's compaction of the change history (not of the keys: only the latest version is kept anyway). */
export function compact(entry: Entry, command: CompactCommand): OkResult<'compact'> | Refused {
  const { state } = entry;
  if (command.revision > state.revision) {
    return refusal(
      'VALIDATION_FAILED',
      'future-revision',
      `revision ${command.revision} is beyond the store's ${state.revision}`,
      {
        revision: command.revision,
        current: state.revision,
      },
    );
  }
  if (command.revision < state.compactRevision) {
    return refusal(
      'CONFLICT',
      'compacted',
      `revision ${command.revision} is before the compaction at ${state.compactRevision}`,
      {
        revision: command.revision,
        compactRevision: state.compactRevision,
      },
    );
  }
  dropHistoryBefore(entry, command.revision);
  return { compactRevision: state.compactRevision };
}

/** Forgets the changes before `revision`; a watch must start at or after it. */
export function dropHistoryBefore(entry: Entry, revision: number): void {
  const { history } = entry.state;
  let cut = 0;
  while (cut < history.length && (history[cut] as { revision: number }).revision < revision) cut++;
  history.splice(0, cut);
  entry.state.compactRevision = Math.max(entry.state.compactRevision, revision);
}

function runTxnOp(entry: Entry, op: TxnOp): TxnOpResult {
  switch (op.op) {
    case 'put': {
      const prevKv = entry.put(op.key, op.value, op.lease ?? 0);
      return { op: 'put', ...(op.prevKv && prevKv ? { prevKv } : {}) };
    }
    case 'delete':
      return { op: 'delete', ...deleteKeys(entry, op) };
    case 'range':
      return { op: 'range', ...range(entry.state, op) };
  }
}

function deleteKeys(entry: Entry, command: { range: KeyRange; prevKv?: boolean }): OkResult<'delete'> {
  // Collected first: deleting while walking the sorted keys would skip entries.
  const keys = [...entriesIn(entry.state, command.range)]
    .map(([key]) => key)
    .filter((key) => !isReserved(key));
  const prevKvs: KeyValue[] = [];
  for (const key of keys) {
    const prevKv = entry.delete(key);
    if (prevKv) prevKvs.push(prevKv);
  }
  return command.prevKv ? { deleted: keys.length, prevKvs } : { deleted: keys.length };
}

function checkPut(entry: Entry, command: { key: string; lease?: number }): Refused | undefined {
  if (isReserved(command.key)) return reservedKey(command.key);
  if (command.lease === undefined) return undefined;
  const lease = entry.liveLease(command.lease);
  return isRefused(lease) ? lease : undefined;
}

/** A write fenced by a lease goes through only while that lease is live (its id is the token). */
export function checkFence(entry: Entry, fence: Fence | undefined): Refused | undefined {
  if (!fence) return undefined;
  const lease = entry.state.leases.get(fence.lease);
  if (!lease) return leaseNotFound(fence.lease);
  const decision = fenceRule(lease.rules, fence.lease, entry.now);
  return decision.ok ? undefined : leaseRefused(decision.refusal, fence.lease);
}

function holds(entry: Entry, compare: Compare): boolean {
  const stored = entry.state.keys.get(compare.key);
  if (compare.target === 'value')
    return stored !== undefined && compares(stored.value, compare.op, compare.value);
  const actual = stored ? stored[compare.target] : 0;
  return compares(actual, compare.op, compare.value);
}

function compares<T extends number | string>(actual: T, op: Compare['op'], expected: T): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '>':
      return actual > expected;
  }
}

/** The first key a branch writes twice (put twice, or put and delete), etcd's "duplicate key" check. */
function findDuplicateWrite(ops: readonly TxnOp[]): string | undefined {
  const puts = new Set<string>();
  for (const op of ops) {
    if (op.op !== 'put') continue;
    if (puts.has(op.key)) return op.key;
    puts.add(op.key);
  }
  for (const op of ops) {
    if (op.op !== 'delete') continue;
    for (const key of puts) if (inRange(op.range, key)) return key;
  }
  return undefined;
}
