import type { Snapshot, SqlExecutor } from '@kailash/backbone';
import type { DiscoveredEdge, EdgeDiscoveryQuery, EdgeTransitionRecord, EdgeView } from '@kailash/contracts';
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
  data_sets: string[] | null;
  cost_per_hour: number | null;
  provider: string | null;
  lifecycle: string;
  version: string;
  registered_at: Date;
  updated_at: Date;
}

export async function findEdge(db: SqlExecutor, edgeId: string): Promise<EdgeView | undefined> {
  const [row] = await db.query<EdgeRow>('SELECT * FROM edges WHERE edge_id = $1', [edgeId]);
  return row ? toView(row) : undefined;
}

export async function findEdgeSnapshot(
  db: SqlExecutor,
  edgeId: string,
): Promise<Snapshot<EdgeState> | undefined> {
  const view = await findEdge(db, edgeId);
  return view ? { state: toState(view), seq: view.version } : undefined;
}

export async function findEdgeState(db: SqlExecutor, edgeId: string): Promise<EdgeState> {
  const view = await findEdge(db, edgeId);
  return view ? toState(view) : { status: 'unregistered' };
}

/** Writes the evolved state of one edge; `version` is the stream sequence of its last event. */
export async function saveEdge(
  db: SqlExecutor,
  state: EdgeState,
  version: number,
  hlc: string,
): Promise<void> {
  if (state.status !== 'registered') return;
  const { edge } = state;
  await db.query(
    `INSERT INTO edges (edge_id, name, region, lat, lon, capacity, zones, tags, endpoint, lifecycle, version, registered_at, updated_at,
       last_hlc, data_sets, cost_per_hour, provider)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)
     ON CONFLICT (edge_id) DO UPDATE SET name = $2, region = $3, lat = $4, lon = $5, capacity = $6, zones = $7, tags = $8,
       endpoint = $9, lifecycle = $10, version = $11, registered_at = $12, updated_at = $13, last_hlc = $14,
       data_sets = $15, cost_per_hour = $16, provider = $17`,
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
      state.lifecycle,
      version,
      edge.registeredAt,
      state.updatedAt,
      hlc,
      edge.dataSets ?? null,
      edge.costPerHour ?? null,
      edge.provider ?? null,
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
    ...(row.data_sets === null ? {} : { dataSets: row.data_sets }),
    ...(row.cost_per_hour === null ? {} : { costPerHour: row.cost_per_hour }),
    ...(row.provider === null ? {} : { provider: row.provider }),
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
    ...(edge.dataSets === undefined ? {} : { dataSets: edge.dataSets }),
    ...(edge.costPerHour === undefined ? {} : { costPerHour: edge.costPerHour }),
    ...(edge.provider === undefined ? {} : { provider: edge.provider }),
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

export async function findTransitions(db: SqlExecutor, edgeId: string): Promise<EdgeTransitionRecord[]> {
  const rows = await db.query<{
    from_state: string;
    to_state: string;
    reason: string;
    actor: string;
    at: Date;
    version: string;
  }>('SELECT * FROM edge_transitions WHERE edge_id = $1 ORDER BY version', [edgeId]);
  return rows.map((row) => ({
    from: row.from_state as EdgeView['lifecycle'],
    to: row.to_state as EdgeView['lifecycle'],
    reason: row.reason,
    actor: row.actor,
    at: row.at.toISOString(),
    version: Number(row.version),
  }));
}

export async function saveTransition(
  db: SqlExecutor,
  edgeId: string,
  record: EdgeTransitionRecord,
): Promise<void> {
  await db.query(
    `INSERT INTO edge_transitions (edge_id, version, from_state, to_state, reason, actor, at)
     VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
    [edgeId, record.version, record.from, record.to, record.reason, record.actor, record.at],
  );
}

/**
 * Degrees to radians with differences below 1e-9° (0.1 mm) taken as 0: PostgreSQL raises an
 * underflow error, rather than rounding to 0, when float8 multiplication (radians, power) of
 * non-zero values leaves the normal range — a query point or stored edge a hair apart would fail.
 */
const RADIANS = (degrees: string) => `radians(CASE WHEN abs(${degrees}) < 1e-9 THEN 0 ELSE ${degrees} END)`;

// Great-circle distance in SQL (haversine, mean Earth radius 6371 km) for discovery by location.
const DISTANCE_KM = (lat: string, lon: string) =>
  `6371 * 2 * asin(sqrt(power(sin(${RADIANS(`lat - ${lat}`)} / 2), 2) + cos(${RADIANS(lat)}) * cos(${RADIANS('lat')}) * power(sin(${RADIANS(`lon - ${lon}`)} / 2), 2)))`;

/** Edges a spatial index found near the query point, and the projection position it reflects. */
export interface DiscoveryCandidates {
  readonly edgeIds: readonly string[];
  readonly position: number;
}

/**
 * Discovery: every filter is optional and ANDed; `near` orders by distance, `radiusKm` bounds it.
 * With `candidates` (a spatial index's superset of the edges within the radius), SQL computes the
 * distance only for those and for rows changed after the index's position — the same rows, distances
 * and order as the full computation, without a haversine over every edge.
 */
export async function discoverEdges(
  db: SqlExecutor,
  query: EdgeDiscoveryQuery,
  candidates?: DiscoveryCandidates,
): Promise<{ edges: DiscoveredEdge[]; total: number }> {
  const params: unknown[] = [];
  const bind = (value: unknown) => `$${params.push(value)}`;
  const where: string[] = [];
  if (candidates)
    where.push(
      `(edge_id = ANY(${bind(candidates.edgeIds)}::text[]) OR version > ${bind(candidates.position)})`,
    );
  if (query.region) where.push(`region = ${bind(query.region)}`);
  if (query.zone) where.push(`${bind(query.zone)} = ANY(zones)`);
  if (query.lifecycle) where.push(`lifecycle = ${bind(query.lifecycle)}`);
  if (query.capability) where.push(`COALESCE((capacity ->> ${bind(query.capability)})::float8, 0) > 0`);
  if (query.tag) {
    const [key, value] = splitTag(query.tag);
    where.push(value === undefined ? `tags ? ${bind(key)}` : `tags ->> ${bind(key)} = ${bind(value)}`);
  }
  const distance = query.near
    ? DISTANCE_KM(`${bind(query.near.lat)}::float8`, `${bind(query.near.lon)}::float8`)
    : 'NULL::float8';
  const radius = query.radiusKm === undefined ? '' : `WHERE distance_km <= ${bind(query.radiusKm)}`;
  const rows = await db.query<EdgeRow & { distance_km: number | null; total: string }>(
    `SELECT *, count(*) OVER () AS total FROM (
       SELECT *, ${distance} AS distance_km FROM edges ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
     ) AS candidates ${radius}
     ORDER BY ${query.near ? 'distance_km, edge_id' : 'edge_id'}
     LIMIT ${bind(query.limit)} OFFSET ${bind(query.offset)}`,
    params,
  );
  const edges = rows.map((row) => ({
    ...toView(row),
    distanceKm: row.distance_km === null ? null : Number(row.distance_km),
  }));
  // The window count rides on the rows; a page past the end has none, so count on its own then.
  const total = rows[0]
    ? Number(rows[0].total)
    : query.offset > 0
      ? await countEdges(db, query, candidates)
      : 0;
  return { edges, total };
}

function splitTag(tag: string): [string, string | undefined] {
  const at = tag.indexOf('=');
  return at < 0 ? [tag, undefined] : [tag.slice(0, at), tag.slice(at + 1)];
}

async function countEdges(
  db: SqlExecutor,
  query: EdgeDiscoveryQuery,
  candidates?: DiscoveryCandidates,
): Promise<number> {
  const { total } = await discoverEdges(db, { ...query, offset: 0, limit: 1 }, candidates);
  return total;
}
