import type { Logger } from '@nestjs/common';
import type { Projection } from '@kailash/backbone';
import type { EdgeLifecycle, EdgeView, LeaseExpired } from '@kailash/contracts';
import { edgeIdOfLeaseResource, isKailashError, stateEventCatalog } from '@kailash/contracts';
import type { LeaseState } from './lease';
import type { EdgeExpiryPolicy } from './lease.config';
import type { LeaseMetrics, PolicyOutcome } from './lease.metrics';

/** What the policy needs of the edges slice (EdgesService provides it). */
export interface EdgeLifecyclePort {
  get(edgeId: string): Promise<EdgeView>;
  transition(edgeId: string, to: EdgeLifecycle, reason: string, actor: string): Promise<EdgeView>;
}

/** What the policy needs of the leases slice: the lease as its stream holds it now. */
export interface LeaseStatePort {
  current(resource: string): Promise<LeaseState>;
}

export const LEASE_EXPIRY_ACTOR = 'lease-expiry';

export interface ExpiryPolicyDeps {
  readonly edges: EdgeLifecyclePort;
  readonly leases: LeaseStatePort;
  readonly policy: EdgeExpiryPolicy;
  readonly metrics: LeaseMetrics;
  readonly logger: Logger;
}

/**
 * Applies the edge policy to every `lease.expired` of an `edge:<id>` lease. It runs as a projection
 * (its own durable consumer and checkpoint, one active instance at a time), so the policy is applied
 * once the expiry is stored even if the instance that published it dies right after, also across
 * restarts. Delivery is at-least-once: a redelivered expiry finds the edge already moved and its
 * transition refused, which counts as done. Never rebuild this one: replaying it would re-apply old
 * expiries to edges that have since recovered.
 */
export function leaseExpiryPolicy(deps: ExpiryPolicyDeps): Projection<LeaseExpired> {
  return {
    name: 'lease-expiry-policy',
    catalog: stateEventCatalog,
    handles: ['lease.expired'],
    apply: async (event) => {
      const edgeId = edgeIdOfLeaseResource(event.data.resource);
      if (edgeId === undefined) return;
      const outcome = await applyPolicy(deps, edgeId, event);
      deps.metrics.policy.inc({ outcome });
      deps.logger.log({ msg: 'lease expiry policy', edgeId, resource: event.data.resource, outcome });
    },
  };
}

async function applyPolicy(
  deps: ExpiryPolicyDeps,
  edgeId: string,
  event: LeaseExpired,
): Promise<PolicyOutcome> {
  const { holder, fencingToken, resource, expiresAt } = event.data;
  // Re-granted since (an agent that renewed a moment too late and acquired again): the edge is alive.
  const now = await deps.leases.current(resource);
  if (now.status === 'held' && now.lease.fencingToken > fencingToken) return 'superseded';
  try {
    const edge = await deps.edges.get(edgeId);
    const to = deps.policy.get(edge.lifecycle);
    if (to === undefined) return 'not-applicable';
    const reason = `lease ${resource} of ${holder} (fencing token ${fencingToken}) expired at ${expiresAt}`;
    await deps.edges.transition(edgeId, to, reason, LEASE_EXPIRY_ACTOR);
    return 'applied';
  } catch (error) {
    // The edge moved on since the projection we read (or this is a redelivery): nothing to do.
    if (isKailashError(error) && error.code === 'INVALID_TRANSITION') return 'refused';
    if (isKailashError(error) && error.code === 'NOT_FOUND') return 'edge-not-found';
    throw error; // anything else is retried by the runner, then dead-lettered
  }
}
