import { finiteNumber, parseWith } from '@kailash/contracts';
import { z } from 'zod';
import type { FleetEdge } from './engine/fleet';
import { sharedRecord } from './engine/shared-values';

/**
 * A fact about an edge that the edges projection does not hold, reported by whichever service observes
 * it (a monitor's utilisation or health events, an agent's heartbeat). Placement takes these through one
 * generic shape rather than any service's event type, so a new source needs only an adapter that maps
 * its event onto this and calls `FleetSnapshotStore.reportFact`. Absent fields leave earlier reports as
 * they were.
 */
export const edgeFactSchema = z.strictObject({
  edgeId: z.string().min(1).max(200),
  /** Resources committed on the edge now, per type; replaces the previous report (free = capacity − allocated). */
  allocated: z
    .record(
      z.string().min(1).max(100),
      finiteNumber().refine((value) => value >= 0, 'must be 0 or more'),
    )
    .optional(),
  /** False while the edge is unhealthy: not placeable until reported healthy again. */
  healthy: z.boolean().optional(),
});

export type EdgeFact = z.infer<typeof edgeFactSchema>;

/** Validates a fact from outside; the error names the offending field. */
export function parseEdgeFact(input: unknown): EdgeFact {
  return parseWith(edgeFactSchema, input, 'edge fact');
}

/** The edge as the projection describes it, with the reported facts laid over it. */
export function withFacts(edge: FleetEdge, fact: Partial<EdgeFact> | undefined): FleetEdge {
  if (!fact || (fact.allocated === undefined && fact.healthy === undefined)) return edge;
  return {
    ...edge,
    ...(fact.allocated === undefined ? {} : { allocated: sharedRecord(fact.allocated) }),
    ...(fact.healthy === undefined ? {} : { healthy: fact.healthy }),
  };
}
