import { z } from 'zod';
import type { EdgeLifecycle } from './edge.schemas';
import { edgeFieldsSchema, edgeLifecycleSchema } from './edge.schemas';

/**
 * The lifecycle an edge may follow. Warming can be abandoned (back to initialized); a drain can be
 * cancelled (back to active); an active edge never goes back to warming — a cold edge must drain
 * and start over. Anything may be terminated, and terminated is final.
 */
export const EDGE_TRANSITIONS: Readonly<Record<EdgeLifecycle, readonly EdgeLifecycle[]>> = {
  initialized: ['warming', 'terminated'],
  warming: ['active', 'initialized', 'terminated'],
  active: ['draining', 'terminated'],
  draining: ['active', 'terminated'],
  terminated: [],
};

export function canTransition(from: EdgeLifecycle, to: EdgeLifecycle): boolean {
  return EDGE_TRANSITIONS[from].includes(to);
}

const reasonSchema = z.string().trim().min(1).max(512);

export const edgeTransitionSchema = z.strictObject({
  to: edgeLifecycleSchema,
  reason: reasonSchema,
  /** An edge agent's own transitions: refused unless this grant of the lease `edge:<edgeId>` is live. */
  fencingToken: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
});
export type EdgeTransitionRequest = z.output<typeof edgeTransitionSchema>;

// No `actor` field: the actor recorded in history is the authenticated caller, never what it claims.
export const edgeDeregistrationSchema = z.strictObject({
  reason: reasonSchema,
});

/** Fields an update may change; at least one, and the id never. */
export const edgeUpdateSchema = edgeFieldsSchema
  .partial()
  .refine((patch) => Object.keys(patch).length > 0, 'an update must change at least one field');
export type EdgeUpdate = z.output<typeof edgeUpdateSchema>;

export const edgeTransitionRecordSchema = z.strictObject({
  from: edgeLifecycleSchema,
  to: edgeLifecycleSchema,
  reason: z.string(),
  actor: z.string(),
  at: z.string(),
  version: z.number().int(),
});
export type EdgeTransitionRecord = z.output<typeof edgeTransitionRecordSchema>;
