import { chooseOwner } from './owner-affinity';

export interface OwnedObject {
  readonly objectId: string;
  readonly owner: string | null;
}

export interface OwnerMove {
  readonly objectId: string;
  readonly from: string | null;
  readonly to: string | null;
}

/**
 * Which objects move, and where, when `departing` leaves (or, with null, after any change of the
 * active set): those on the departing edge, on an edge no longer active, or on none. Objects on an
 * edge that stays active never move, even if a newcomer would now outweigh it: moving a live
 * object costs more than a slightly uneven spread.
 */
export function planRehoming(
  objects: readonly OwnedObject[],
  activeEdges: readonly string[],
  departing: string | null,
): OwnerMove[] {
  const candidates = activeEdges.filter((edgeId) => edgeId !== departing);
  const staying = new Set(candidates);
  return objects
    .filter((object) => object.owner === null || !staying.has(object.owner))
    .map((object) => ({
      objectId: object.objectId,
      from: object.owner,
      to: chooseOwner(object.objectId, candidates),
    }))
    .filter((move) => move.to !== move.from);
}

/** What an edge lifecycle event asks of state objects. */
export type OwnershipReaction =
  | { readonly kind: 'reassign'; readonly edgeId: string }
  | { readonly kind: 'assign-orphans' }
  | { readonly kind: 'none' };

interface EdgeLifecycleFact {
  readonly type: string;
  readonly data: { readonly edgeId: string; readonly to?: string };
}

/** Draining, terminated or deregistered edges give up their objects; a newly active edge may take orphans. */
export function reactionTo(event: EdgeLifecycleFact): OwnershipReaction {
  if (event.type === 'edge.deregistered') return { kind: 'reassign', edgeId: event.data.edgeId };
  if (event.type !== 'edge.lifecycle-changed') return { kind: 'none' };
  if (event.data.to === 'draining' || event.data.to === 'terminated')
    return { kind: 'reassign', edgeId: event.data.edgeId };
  if (event.data.to === 'active') return { kind: 'assign-orphans' };
  return { kind: 'none' };
}
