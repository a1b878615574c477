import type { SqlExecutor } from '@kailash/backbone';
import type { StateKeyView, StateObjectView } from '@kailash/contracts';
import type { StateObject, StateObjectState } from './state-object';
import { isExpired, own } from './state-object';

// ── The projection table ─────────────────────────────────────────────────────

interface SnapshotRow {
  state: StateObject;
  last_seq: string;
}

export async function findSnapshot(
  db: SqlExecutor,
  objectId: string,
): Promise<{ state: StateObjectState; seq: number } | undefined> {
  const [row] = await db.query<SnapshotRow>(
    'SELECT state, last_seq FROM state_objects WHERE object_id = $1',
    [objectId],
  );
  return row ? { state: row.state, seq: Number(row.last_seq) } : undefined;
}

/** Stores the evolved state of one object; `seq` is the stream sequence of its last event. */
export async function saveSnapshot(
  db: SqlExecutor,
  state: StateObjectState,
  seq: number,
  hlc: string,
): Promise<void> {
  if (state.status !== 'present') return;
  await db.query(
    `INSERT INTO state_objects (object_id, owner_edge, version, last_seq, state, created_at, modified_at, last_hlc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
     ON CONFLICT (object_id) DO UPDATE SET owner_edge = $2, version = $3, last_seq = $4, state = $5, modified_at = $7, last_hlc = $8`,
    [
      state.objectId,
      state.owner,
      state.version,
      seq,
      JSON.stringify(state),
      state.createdAt,
      state.modifiedAt,
      hlc,
    ],
  );
}

// ── Ownership queries ────────────────────────────────────────────────────────

export async function activeEdgeIds(db: SqlExecutor): Promise<string[]> {
  const rows = await db.query<{ edge_id: string }>(
    "SELECT edge_id FROM edges WHERE lifecycle = 'active' ORDER BY edge_id",
  );
  return rows.map((row) => row.edge_id);
}

/** Objects on the departing edge, without an owner, or on an edge that is no longer active. */
export async function objectsToRehome(
  db: SqlExecutor,
  departing: string | null,
): Promise<{ objectId: string; owner: string | null }[]> {
  const rows = await db.query<{ object_id: string; owner_edge: string | null }>(
    `SELECT object_id, owner_edge FROM state_objects
     WHERE owner_edge IS NULL OR owner_edge = $1
        OR owner_edge NOT IN (SELECT edge_id FROM edges WHERE lifecycle = 'active')
     ORDER BY object_id`,
    [departing],
  );
  return rows.map((row) => ({ objectId: row.object_id, owner: row.owner_edge }));
}

// ── Access counts ────────────────────────────────────────────────────────────

export interface AccessStats {
  readonly accessCount: number;
  readonly lastAccessedAt: string | null;
}

/**
 * Counts one read. Reads are not events: an event per get would turn every read into a write on
 * the object's subject, make reads race writers for the expected sequence (a reader could fail a
 * CAS), and grow the log that every write must load. One atomic upsert per read here is exact
 * across instances; a rebuild of the projection leaves it alone.
 */
export async function countAccess(db: SqlExecutor, objectId: string, at: string): Promise<AccessStats> {
  const [row] = await db.query<{ access_count: string; last_accessed_at: Date }>(
    `INSERT INTO state_object_access (object_id, access_count, last_accessed_at) VALUES ($1, 1, $2)
     ON CONFLICT (object_id) DO UPDATE SET access_count = state_object_access.access_count + 1, last_accessed_at = $2
     RETURNING access_count, last_accessed_at`,
    [objectId, at],
  );
  return {
    accessCount: Number(row?.access_count ?? 1),
    lastAccessedAt: row?.last_accessed_at.toISOString() ?? at,
  };
}

// ── Views ────────────────────────────────────────────────────────────────────

export function toView(state: StateObject, access: AccessStats, now: string): StateObjectView {
  return {
    objectId: state.objectId,
    owner: state.owner,
    version: state.version,
    metadata: metadataOf(state, access),
    body: { ...state.body },
    locks: Object.entries(state.locks)
      .filter(([, lock]) => !isExpired(lock, now))
      .map(([name, lock]) => ({ name, holder: lock.holder, expiresAt: lock.expiresAt })),
  };
}

export function toKeyView(state: StateObject, key: string, access: AccessStats): StateKeyView {
  const value = own(state.body, key);
  return {
    objectId: state.objectId,
    key,
    exists: value !== undefined,
    value: value ?? null,
    owner: state.owner,
    version: state.version,
    metadata: metadataOf(state, access),
  };
}

function metadataOf(state: StateObject, access: AccessStats): StateObjectView['metadata'] {
  return {
    createdAt: state.createdAt,
    modifiedAt: state.modifiedAt,
    accessCount: access.accessCount,
    lastAccessedAt: access.lastAccessedAt,
  };
}
