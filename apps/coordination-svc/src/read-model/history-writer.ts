import type { SqlDatabase, SqlExecutor } from '@kailash/backbone';
import { advanceCheckpoint, lockCheckpoint, readCheckpoint } from '@kailash/backbone';
import type { HistoryRow } from './history-rows';

/** The checkpoint row: the Raft applied index up to which this replica's history is written. */
export const HISTORY_CHECKPOINT = 'coord-history';

type RowOf<K extends HistoryRow['kind']> = Extract<HistoryRow, { kind: K }>;

export function readHistoryCheckpoint(db: SqlDatabase): Promise<number> {
  return readCheckpoint(db, HISTORY_CHECKPOINT);
}

/**
 * Writes the rows of entries past the checkpoint and moves the checkpoint to `upTo`, in one
 * transaction: a crash leaves either both or neither, and a replayed entry at or below the
 * checkpoint is skipped, so every row is written exactly once. Returns the new checkpoint.
 */
export async function writeHistory(
  db: SqlDatabase,
  rows: readonly HistoryRow[],
  upTo: number,
): Promise<number> {
  return db.transaction(async (tx) => {
    const checkpoint = await lockCheckpoint(tx, HISTORY_CHECKPOINT);
    const fresh = rows.filter((row) => (row.kind === 'gap' ? row.toIndex : row.index) > checkpoint);
    const of = <K extends HistoryRow['kind']>(kind: K) =>
      fresh.filter((row): row is RowOf<K> => row.kind === kind);
    await insertLeaders(tx, of('leader'));
    await insertMembership(tx, of('membership'));
    await insertFacts(tx, of('fact'));
    await insertGaps(
      tx,
      of('gap').map((gap) => ({ ...gap, index: Math.max(gap.index, checkpoint + 1) })),
    );
    if (upTo > checkpoint) await advanceCheckpoint(tx, HISTORY_CHECKPOINT, upTo);
    return Math.max(checkpoint, upTo);
  });
}

// One statement per table whatever the batch size: unnest turns parallel arrays into rows.

async function insertLeaders(tx: SqlExecutor, rows: readonly RowOf<'leader'>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO coord_leaders (raft_index, term, leader_id)
     SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::integer[])`,
    [rows.map((r) => r.index), rows.map((r) => r.term), rows.map((r) => r.leader)],
  );
}

async function insertMembership(tx: SqlExecutor, rows: readonly RowOf<'membership'>[]): Promise<void> {
  // Arrays of arrays do not unnest row by row, and membership changes come one per entry anyway.
  for (const r of rows)
    await tx.query(
      `INSERT INTO coord_membership (raft_index, change, node_id, voters, learners)
       VALUES ($1, $2, $3, $4::integer[], $5::integer[])`,
      [r.index, r.change, r.nodeId, [...r.voters], [...r.learners]],
    );
}

async function insertFacts(tx: SqlExecutor, rows: readonly RowOf<'fact'>[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.query(
    `INSERT INTO coord_facts (raft_index, position, type, at_ms, lease_id, name, fact)
     SELECT i, p, t, a, l, n, f::jsonb
     FROM unnest($1::bigint[], $2::integer[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[])
       AS u(i, p, t, a, l, n, f)`,
    [
      rows.map((r) => r.index),
      rows.map((r) => r.position),
      rows.map((r) => r.type),
      rows.map((r) => r.at),
      rows.map((r) => r.leaseId),
      rows.map((r) => r.name),
      rows.map((r) => JSON.stringify(r.fact)),
    ],
  );
}

async function insertGaps(tx: SqlExecutor, rows: readonly RowOf<'gap'>[]): Promise<void> {
  for (const r of rows)
    await tx.query('INSERT INTO coord_history_gaps (from_index, to_index, reason) VALUES ($1, $2, $3)', [
      r.index,
      r.toIndex,
      r.reason,
    ]);
}
