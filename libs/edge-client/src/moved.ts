import { KailashError } from '@kailash/contracts';

/** The error code an agent answers when it does not (or no longer) hold the workload. */
export const MOVED_CODE = 'MOVED';

/**
 * The owner a MOVED answer names: an edge id, null when the agent knows it moved but not where,
 * or undefined when the error is not a MOVED answer at all.
 */
export function movedTo(error: unknown): string | null | undefined {
  if (!(error instanceof KailashError) || (error.code as string) !== MOVED_CODE) return undefined;
  const owner = (error.details as { owner?: unknown } | undefined)?.owner;
  return typeof owner === 'string' && owner.length > 0 ? owner : null;
}
