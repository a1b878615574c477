import type { EdgeLifecycle } from '@kailash/contracts';

/**
 * The next step from where the edge is towards `active`, along the lifecycle state-svc allows:
 * initialized → warming → active; a drained edge (its agent died or stopped) comes back directly.
 * Undefined: already there. `terminated` is final, so it has no way back.
 */
export function nextStepToActive(from: EdgeLifecycle): EdgeLifecycle | 'impossible' | undefined {
  switch (from) {
    case 'initialized':
      return 'warming';
    case 'warming':
    case 'draining':
      return 'active';
    case 'active':
      return undefined;
    case 'terminated':
      return 'impossible';
  }
}
