import type { SqlExecutor } from './sql';

/** Every service's database holds this table; its migration uses this DDL. */
export const PROJECTION_CHECKPOINTS_DDL = `
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  name text PRIMARY KEY,
  position bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

/**
 * Reads the checkpoint and locks its row until the transaction ends, so two writers of one
 * projection serialise here and the later one sees what the earlier one committed.
 */
export async function lockCheckpoint(tx: SqlExecutor, projection: string): Promise<number> {
  // One round trip: the no-op update creates the row if missing and row-locks it either way.
  const [row] = await tx.query<{ position: string }>(
    `INSERT INTO projection_checkpoints (name) VALUES ($1)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING position`,
    [projection],
  );
  return Number(row?.position ?? 0);
}

export async function advanceCheckpoint(
  tx: SqlExecutor,
  projection: string,
  position: number,
): Promise<void> {
  await tx.query(
    'UPDATE projection_checkpoints SET position = $2, updated_at = now() WHERE name = $1 AND position < $2',
    [projection, position],
  );
}

export async function readCheckpoint(tx: SqlExecutor, projection: string): Promise<number> {
  const [row] = await tx.query<{ position: string }>(
    'SELECT position FROM projection_checkpoints WHERE name = $1',
    [projection],
  );
  return Number(row?.position ?? 0);
}

export async function resetCheckpoint(tx: SqlExecutor, projection: string): Promise<void> {
  await tx.query('DELETE FROM projection_checkpoints WHERE name = $1', [projection]);
}
