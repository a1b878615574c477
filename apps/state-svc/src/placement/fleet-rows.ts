import type { SqlExecutor } from '@kailash/backbone';
import type { ComplianceZone, EdgeLifecycle } from '@kailash/contracts';
import type { FleetEdge } from './engine/fleet';
import { fleetEdge } from './engine/fleet';

/** The columns of the `edges` projection placement reads (owned by the edges slice). */
export interface FleetEdgeRow {
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

export function toFleetEdge(row: FleetEdgeRow): FleetEdge {
  return fleetEdge({
    edgeId: row.edge_id,
    name: row.name,
    region: row.region,
    lat: row.lat,
    lon: row.lon,
    zones: row.zones as ComplianceZone[],
    lifecycle: row.lifecycle as EdgeLifecycle,
    capacity: row.capacity,
    dataSets: row.data_sets ?? [],
    costPerHour: row.cost_per_hour ?? undefined,
  });
}

/** Where the edges projection stands: the stream sequence of the last event it applied. */
export async function readEdgesPosition(db: SqlExecutor): Promise<number> {
  const [row] = await db.query<{ position: string }>("SELECT position FROM projection_checkpoints WHERE name = 'edges'");
  return Number(row?.position ?? 0);
}

/**
 * Edges changed after a stream position. A row's `version` is the sequence of the last event applied
 * to it, so every row touched since `after` has a larger one; rows are never deleted (deregistered
 * edges stay, terminated), so the changed rows are the whole difference.
 */
export function readEdgesChangedAfter(db: SqlExecutor, after: number): Promise<FleetEdgeRow[]> {
  return db.query<FleetEdgeRow>(
    'SELECT edge_id, name, region, lat, lon, capacity, zones, lifecycle, data_sets, cost_per_hour FROM edges WHERE version > $1',
    [after],
  );
}
