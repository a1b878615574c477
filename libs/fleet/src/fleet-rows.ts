import type { SqlExecutor } from '@kailash/backbone';
import type { ComplianceZone, EdgeLifecycle, EdgeSnapshot } from '@kailash/contracts';

/** One edge of the fleet: as its last event described it, and that event's stream sequence. */
export type FleetEdge = EdgeSnapshot & { readonly version: number };

/** Every filter is optional and ANDed; `capability` means a capacity above zero of that resource. */
export interface FleetFilter {
  readonly region?: string;
  readonly zone?: ComplianceZone;
  readonly lifecycle?: EdgeLifecycle;
  readonly capability?: string;
}

interface FleetRow {
  edge_id: string;
  name: string;
  region: string;
  lat: number;
  lon: number;
  capacity: Record<string, number>;
  zones: ComplianceZone[];
  tags: Record<string, string>;
  endpoint: string | null;
  data_sets: string[] | null;
  cost_per_hour: number | null;
  provider: string | null;
  lifecycle: EdgeLifecycle;
  registered_at: Date;
  updated_at: Date;
  version: string;
}

export async function findFleetEdge(db: SqlExecutor, edgeId: string): Promise<FleetEdge | undefined> {
  const [row] = await db.query<FleetRow>('SELECT * FROM fleet_edges WHERE edge_id = $1', [edgeId]);
  return row ? toFleetEdge(row) : undefined;
}

export async function selectFleetEdges(db: SqlExecutor, filter: FleetFilter): Promise<FleetEdge[]> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (filter.region !== undefined) where.push(`region = ${bind(filter.region)}`);
  if (filter.zone !== undefined) where.push(`zones @> ARRAY[${bind(filter.zone)}]::text[]`);
  if (filter.lifecycle !== undefined) where.push(`lifecycle = ${bind(filter.lifecycle)}`);
  if (filter.capability !== undefined)
    where.push(`COALESCE((capacity ->> ${bind(filter.capability)})::float8, 0) > 0`);
  const rows = await db.query<FleetRow>(
    `SELECT * FROM fleet_edges ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY edge_id`,
    params,
  );
  return rows.map(toFleetEdge);
}

/** Writes the edge after an event; an older event (lower sequence) never overwrites a newer one. */
export async function saveFleetEdge(
  db: SqlExecutor,
  edge: EdgeSnapshot,
  version: number,
  hlc: string,
): Promise<void> {
  await db.query(
    `INSERT INTO fleet_edges (edge_id, name, region, lat, lon, capacity, zones, tags, endpoint, data_sets, cost_per_hour, provider,
       lifecycle, registered_at, updated_at, version, last_hlc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (edge_id) DO UPDATE SET name = $2, region = $3, lat = $4, lon = $5, capacity = $6, zones = $7, tags = $8,
       endpoint = $9, data_sets = $10, cost_per_hour = $11, provider = $12, lifecycle = $13, registered_at = $14,
       updated_at = $15, version = $16, last_hlc = $17
     WHERE fleet_edges.version < EXCLUDED.version`,
    [
      edge.edgeId,
      edge.name,
      edge.region,
      edge.location.lat,
      edge.location.lon,
      JSON.stringify(edge.capacity),
      edge.zones,
      JSON.stringify(edge.tags),
      edge.endpoint,
      edge.dataSets ?? null,
      edge.costPerHour ?? null,
      edge.provider ?? null,
      edge.lifecycle,
      edge.registeredAt,
      edge.updatedAt,
      version,
      hlc,
    ],
  );
}

function toFleetEdge(row: FleetRow): FleetEdge {
  return {
    edgeId: row.edge_id,
    name: row.name,
    region: row.region,
    location: { lat: row.lat, lon: row.lon },
    capacity: row.capacity,
    zones: row.zones,
    tags: row.tags,
    endpoint: row.endpoint,
    ...(row.data_sets === null ? {} : { dataSets: row.data_sets }),
    ...(row.cost_per_hour === null ? {} : { costPerHour: row.cost_per_hour }),
    ...(row.provider === null ? {} : { provider: row.provider }),
    lifecycle: row.lifecycle,
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    version: Number(row.version),
  };
}
