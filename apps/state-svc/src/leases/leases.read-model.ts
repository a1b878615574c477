import type { SqlExecutor } from '@kailash/backbone';
import type { LeaseView } from '@kailash/contracts';
import type { LeaseState } from './lease';

interface LeaseRow {
  resource: string;
  status: LeaseView['status'];
  holder: string;
  fencing_token: string;
  ttl_ms: number;
  acquired_at: Date;
  renewed_at: Date | null;
  expires_at: Date;
  ended_at: Date | null;
  version: string;
}

export async function findLease(db: SqlExecutor, resource: string): Promise<LeaseView | undefined> {
  const [row] = await db.query<LeaseRow>('SELECT * FROM leases WHERE resource = $1', [resource]);
  return row ? toView(row) : undefined;
}

/** Writes the evolved state of one lease; `version` is the stream sequence of its last event. */
export async function saveLease(
  db: SqlExecutor,
  state: LeaseState,
  version: number,
  hlc: string,
): Promise<void> {
  if (state.status === 'vacant') return;
  const { lease } = state;
  const endedAt = state.status === 'held' ? null : state.endedAt;
  await db.query(
    `INSERT INTO leases (resource, status, holder, fencing_token, ttl_ms, acquired_at, renewed_at, expires_at, ended_at, version, last_hlc)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (resource) DO UPDATE SET status = $2, holder = $3, fencing_token = $4, ttl_ms = $5, acquired_at = $6,
       renewed_at = $7, expires_at = $8, ended_at = $9, version = $10, last_hlc = $11`,
    [
      lease.resource,
      state.status,
      lease.holder,
      lease.fencingToken,
      lease.ttlMs,
      lease.acquiredAt,
      lease.renewedAt,
      lease.expiresAt,
      endedAt,
      version,
      hlc,
    ],
  );
}

/** Held leases whose deadline is at or before `now`, most overdue first. */
export async function findDueLeases(db: SqlExecutor, now: Date, limit: number): Promise<string[]> {
  const rows = await db.query<{ resource: string }>(
    `SELECT resource FROM leases WHERE status = 'held' AND expires_at <= $1 ORDER BY expires_at LIMIT $2`,
    [now, limit],
  );
  return rows.map((row) => row.resource);
}

export async function countLiveLeases(db: SqlExecutor, now: Date): Promise<number> {
  const [row] = await db.query<{ n: string }>(
    `SELECT count(*) AS n FROM leases WHERE status = 'held' AND expires_at > $1`,
    [now],
  );
  return Number(row?.n ?? 0);
}

export function stateToView(state: LeaseState, version: number): LeaseView | undefined {
  if (state.status === 'vacant') return undefined;
  return {
    ...state.lease,
    status: state.status,
    endedAt: state.status === 'held' ? null : state.endedAt,
    version,
  };
}

function toView(row: LeaseRow): LeaseView {
  return {
    resource: row.resource,
    status: row.status,
    holder: row.holder,
    fencingToken: Number(row.fencing_token),
    ttlMs: row.ttl_ms,
    acquiredAt: row.acquired_at.toISOString(),
    renewedAt: row.renewed_at?.toISOString() ?? null,
    expiresAt: row.expires_at.toISOString(),
    endedAt: row.ended_at?.toISOString() ?? null,
    version: Number(row.version),
  };
}
