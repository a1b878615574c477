import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { coalescedRead, readCheckpoint } from '@kailash/backbone';
import type { ComplianceZone, EdgeLifecycle } from '@kailash/contracts';
import { SQL_DATABASE } from '@kailash/service-kit';
import { edgesProjection } from './edges.projection';

/** The projection behind the port: what readers name to wait for it (read-your-writes). */
export const EDGES_PROJECTION = edgesProjection.name;

/** What placement needs of an edge, as the edges projection holds it. */
export interface EdgePlacementFacts {
  readonly edgeId: string;
  readonly name: string;
  readonly region: string;
  readonly lat: number;
  readonly lon: number;
  readonly capacity: Record<string, number>;
  readonly zones: ComplianceZone[];
  readonly lifecycle: EdgeLifecycle;
  readonly dataSets: string[];
  readonly costPerHour?: number;
}

interface PlacementRow {
  edge_id: string;
  name: string;
  region: string;
  lat: number;
  lon: number;
  capacity: Record<string, number>;
  zones: string[];
  lifecycle: string;
  data_sets: string[] | null;
  cost_per_hour: number | null;
}

/**
 * What other slices may read of the edges projection. They never query its tables themselves, so
 * the edges slice can change its schema behind this port.
 */
@Injectable()
export class EdgesReadPort {
  /** Name of the projection behind this port, for callers that wait for it to catch up. */
  readonly projection = EDGES_PROJECTION;

  constructor(@Inject(SQL_DATABASE) private readonly db: SqlDatabase) {}

  /**
   * Every state-object command asks for the active set; concurrent commands share one query sent
   * after they asked (never an older answer), so a burst costs one round trip, not one per command.
   * The answer is shared: callers must not mutate it.
   */
  readonly activeEdgeIds: () => Promise<readonly string[]> = coalescedRead(async () => {
    const rows = await this.db.query<{ edge_id: string }>(
      "SELECT edge_id FROM edges WHERE lifecycle = 'active' ORDER BY edge_id",
    );
    return Object.freeze(rows.map((row) => row.edge_id));
  });

  /** Stream sequence of the last edge event the projection applied. */
  position(): Promise<number> {
    return readCheckpoint(this.db, this.projection);
  }

  /**
   * Edges changed after a stream position. A row's `version` is the sequence of the last event applied
   * to it, so every row touched since `after` has a larger one; rows are never deleted (deregistered
   * edges stay, terminated), so the changed rows are the whole difference.
   */
  async placementFactsChangedAfter(after: number): Promise<EdgePlacementFacts[]> {
    const rows = await this.db.query<PlacementRow>(
      'SELECT edge_id, name, region, lat, lon, capacity, zones, lifecycle, data_sets, cost_per_hour FROM edges WHERE version > $1',
      [after],
    );
    return rows.map(toFacts);
  }
}

function toFacts(row: PlacementRow): EdgePlacementFacts {
  return {
    edgeId: row.edge_id,
    name: row.name,
    region: row.region,
    lat: row.lat,
    lon: row.lon,
    capacity: row.capacity,
    zones: row.zones as ComplianceZone[],
    lifecycle: row.lifecycle as EdgeLifecycle,
    dataSets: row.data_sets ?? [],
    ...(row.cost_per_hour === null ? {} : { costPerHour: row.cost_per_hour }),
  };
}
