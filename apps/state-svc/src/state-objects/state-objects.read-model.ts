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

/** The stored states of several objects (those without a row are absent from the map). */
export async function findSnapshots(
  db: SqlExecutor,
  objectIds: readonly string[],
): Promise<Map<string, StateObjectState>> {
  const rows = await db.query<SnapshotRow & { object_id: string }>(
    'SELECT object_id, state FROM state_objects WHERE object_id = ANY($1::text[])',
    [[...objectIds]],
  );
  return new Map(rows.map((row) => [row.object_id, row.state]));
}

export interface Snapshot {
  readonly state: StateObject;
  /** Stream sequence of the object's last event. */
  readonly seq: number;
  readonly hlc: string;
}

/** Stores the evolved states of distinct objects in one statement. */
export async function saveSnapshots(db: SqlExecutor, snapshots: readonly Snapshot[]): Promise<void> {
  if (snapshots.length === 0) return;
  const column = <T>(of: (snapshot: Snapshot) => T) => snapshots.map(of);
  await db.query(
    `INSERT INTO state_objects (object_id, owner_edge, version, last_seq, state, created_at, modified_at, last_hlc)
     SELECT * FROM unnest($1::text[], $2::text[], $3::integer[], $4::bigint[], $5::jsonb[], $6::timestamptz[], $7::timestamptz[], $8::text[])
     ON CONFLICT (object_id) DO UPDATE SET owner_edge = EXCLUDED.owner_edge, version = EXCLUDED.version,
       last_seq = EXCLUDED.last_seq, state = EXCLUDED.state, modified_at = EXCLUDED.modified_at, last_hlc = EXCLUDED.last_hlc`,
    [
      column((s) => s.state.objectId),
      column((s) => s.state.owner),
      column((s) => s.state.version),
      column((s) => s.seq),
      column((s) => JSON.stringify(s.state)),
      column((s) => s.state.createdAt),
      column((s) => s.state.modifiedAt),
      column((s) => s.hlc),
    ],
  );
}

// ── Ownership queries ────────────────────────────────────────────────────────

/** Objects on the departing edge, without an owner, or on an edge that is not among the active ones. */
export async function objectsToRehome(
  db: SqlExecutor,
  departing: string | null,
  activeEdges: readonly string[],
): Promise<{ objectId: string; owner: string | null }[]> {
  const rows = await db.query<{ object_id: string; owner_edge: string | null }>(
    `SELECT object_id, owner_edge FROM state_objects
     WHERE owner_edge IS NULL OR owner_edge = $1 OR NOT (owner_edge = ANY($2::text[]))
     ORDER BY object_id`,
    [departing, [...activeEdges]],
  );
  return rows.map((row) => ({ objectId: row.object_id, owner: row.owner_edge }));
}

// ── Views ────────────────────────────────────────────────────────────────────

export function toView(state: StateObject, now: string): StateObjectView {
  return {
    objectId: state.objectId,
    owner: state.owner,
    version: state.version,
    metadata: metadataOf(state),
    body: { ...state.body },
    locks: Object.entries(state.locks)
      .filter(([, lock]) => !isExpired(lock, now))
      .map(([name, lock]) => ({ name, holder: lock.holder, expiresAt: lock.expiresAt })),
  };
}

export function toKeyView(state: StateObject, key: string): StateKeyView {
  const value = own(state.body, key);
  return {
    objectId: state.objectId,
    key,
    exists: value !== undefined,
    value: value ?? null,
    owner: state.owner,
    version: state.version,
    metadata: metadataOf(state),
  };
}

/** Reads leave no trace (no access count): a read with a side effect could be driven by anyone who can read. */
function metadataOf(state: StateObject): StateObjectView['metadata'] {
  return { createdAt: state.createdAt, modifiedAt: state.modifiedAt };
}
