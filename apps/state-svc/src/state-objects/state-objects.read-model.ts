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
