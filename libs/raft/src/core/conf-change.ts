import { InvalidConfChangeError } from './errors';
import type { ConfChange } from './types';

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
