import type { SqlExecutor } from '@kailash/backbone';
import type { EdgeView } from '@kailash/contracts';
import type { EdgeState } from './edge';

interface EdgeRow {
  edge_id: string;
  name: string;
  region: string;
  lat: number;
  lon: number;
  capacity: Record<string, number>;
  zones: string[];
  tags: Record<string, string>;
  endpoint: string | null;
  lifecycle: string;
  version: string;
  registered_at: Date;
  updated_at: Date;
}

export async function findEdge(db: SqlExecutor, edgeId: string): Promise<EdgeView | undefined> {
  const [row] = await db.query<EdgeRow>('SELECT * FROM edges WHERE edge_id = $1', [edgeId]);
  return row ? toView(row) : undefined;
}

export async function findEdgeState(db: SqlExecutor, edgeId: string): Promise<EdgeState> {
  const view = await findEdge(db, edgeId);
  return view ? toState(view) : { status: 'unregistered' };
}

/** Writes the evolved state of one edge; `version` is the stream sequence of its last event. */
export async function saveEdge(db: SqlExecutor, state: EdgeState, version: number, hlc: string): Promise<void> {
  if (state.status !== 'registered') return;
  const { edge } = state;
  await db.query(
    `INSERT INTO edges (edge_id, name, region, lat, lon, capacity, zones, tags, endpoint, lifecycle, version, registered_at, updated_at, last_hlc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     ON CONFLICT (edge_id) DO UPDATE SET name = $2, region = $3, lat = $4, lon = $5, capacity = $6, zones = $7, tags = $8,
       endpoint = $9, lifecycle = $10, version = $11, registered_at = $12, updated_at = $13, last_hlc = $14`,
    [
      edge.edgeId, edge.name, edge.region, edge.location.lat, edge.location.lon, JSON.stringify(edge.capacity), edge.zones,
      JSON.stringify(edge.tags), edge.endpoint, state.lifecycle, version, edge.registeredAt, state.updatedAt, hlc,
    ],
  );
}

export function toView(row: EdgeRow): EdgeView {
  return {
    edgeId: row.edge_id,
    name: row.name,
    region: row.region,
    location: { lat: row.lat, lon: row.lon },
    capacity: row.capacity,
    zones: row.zones as EdgeView['zones'],
    tags: row.tags,
    endpoint: row.endpoint,
    lifecycle: row.lifecycle as EdgeView['lifecycle'],
    version: Number(row.version),
    registeredAt: row.registered_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export function stateToView(state: EdgeState, version: number): EdgeView | undefined {
  if (state.status !== 'registered') return undefined;
  const { edge } = state;
  return {
    edgeId: edge.edgeId,
    name: edge.name,
    region: edge.region,
    location: edge.location,
    capacity: edge.capacity,
    zones: edge.zones,
    tags: edge.tags,
    endpoint: edge.endpoint,
    lifecycle: state.lifecycle,
    version,
    registeredAt: edge.registeredAt,
    updatedAt: state.updatedAt,
  };
}

function toState(view: EdgeView): EdgeState {
  const { lifecycle, version: _version, updatedAt, ...edge } = view;
  return { status: 'registered', lifecycle, updatedAt, edge };
}
