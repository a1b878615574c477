import { Injectable } from '@nestjs/common';
import type { GeoPoint } from '@kailash/contracts';

/** Edges that may lie within a radius, from an in-memory spatial index that reflects the projection up to `position`. */
export interface NearbyCandidates {
  /** A superset of the edges within the radius as of `position` (the SQL check settles the exact set). */
  readonly edgeIds: readonly string[];
  readonly position: number;
}

export type NearbySource = (near: GeoPoint, radiusKm: number) => Promise<NearbyCandidates>;

/**
 * Where discovery by radius finds its candidates when a spatial index is present (placement keeps one
 * over the same projection and plugs it in at start); without one, discovery computes the distance of
 * every edge in SQL. The edges slice owns this port so it never depends on the slice that fills it.
 */
@Injectable()
export class EdgesNearbyIndex {
  private source: NearbySource | undefined;

  provide(source: NearbySource): void {
    this.source = source;
  }

  candidates(near: GeoPoint, radiusKm: number): Promise<NearbyCandidates> | undefined {
    return this.source?.(near, radiusKm);
  }
}
