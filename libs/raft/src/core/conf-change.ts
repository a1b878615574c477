import { InvalidConfChangeError } from './errors';
import type { ConfChange, Entry } from './types';

const TYPES: ReadonlySet<string> = new Set(['add-voter', 'add-learner', 'remove-node']);

export function encodeConfChange(change: ConfChange): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ type: change.type, nodeId: change.nodeId }));
}

export function decodeConfChange(data: Uint8Array): ConfChange {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder().decode(data));
  } catch (error) {
    throw new InvalidConfChangeError('conf change entry is not valid JSON', { cause: error });
  }
  const candidate = parsed as { type?: unknown; nodeId?: unknown };
  if (typeof candidate.type !== 'string' || !TYPES.has(candidate.type)) {
    throw new InvalidConfChangeError(`unknown conf change type ${String(candidate.type)}`);
  }
  if (typeof candidate.nodeId !== 'number' || !Number.isInteger(candidate.nodeId) || candidate.nodeId <= 0) {
    throw new InvalidConfChangeError('conf change nodeId must be a positive integer');
  }
  return { type: candidate.type as ConfChange['type'], nodeId: candidate.nodeId };
}

/**
 * The initial membership as committed conf-change entries (indexes 1..n, term 1), as etcd bootstraps.
 * A node that joins later with an empty log replays them, so it learns the whole configuration
 * instead of only the changes made after the cluster started.
 */
export function bootstrapEntries(confState: {
  voters: readonly number[];
  learners: readonly number[];
}): Entry[] {
  const changes: ConfChange[] = [
    ...confState.voters.map((nodeId) => ({ type: 'add-voter' as const, nodeId })),
    ...confState.learners.map((nodeId) => ({ type: 'add-learner' as const, nodeId })),
  ];
  return changes.map((change, i) => ({
    term: 1,
    index: i + 1,
    type: 'conf-change',
    data: encodeConfChange(change),
  }));
}
