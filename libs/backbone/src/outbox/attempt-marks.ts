import type { SqlExecutor } from '../projection/sql';

/**
 * Marks the events about to be published as attempted after `sequence`, keeping an earlier mark
 * where there is one, and resolves to each event's mark as now stored.
 */
export async function markAttempts(
  db: SqlExecutor,
  eventIds: readonly string[],
  sequence: number,
): Promise<Map<string, number>> {
  const rows = await db.query<{ event_id: string; after_sequence: string }>(
    `INSERT INTO outbox_attempts (event_id, after_sequence) SELECT id, $2 FROM unnest($1::text[]) AS id
     ON CONFLICT (event_id) DO UPDATE SET after_sequence = outbox_attempts.after_sequence
     RETURNING event_id, after_sequence`,
    [eventIds, sequence],
  );
  return new Map(rows.map((row) => [row.event_id, Number(row.after_sequence)]));
}

/** A retired event needs no mark; one left behind by a crash only costs a lookup if its id recurs. */
export async function forgetAttempts(db: SqlExecutor, eventIds: readonly string[]): Promise<void> {
  if (eventIds.length > 0)
    await db.query('DELETE FROM outbox_attempts WHERE event_id = ANY($1::text[])', [eventIds]);
}
