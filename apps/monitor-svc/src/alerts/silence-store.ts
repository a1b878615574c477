import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@kailash/backbone';
import type { SilenceSpec, SilenceView } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { Labels } from './alert-labels';
import { matchesAll } from './alert-labels';

interface SilenceRow {
  readonly id: string;
  readonly matchers: Record<string, string>;
  readonly starts_at: Date;
  readonly ends_at: Date;
  readonly comment: string;
  readonly created_by: string;
  readonly created_at: Date;
}

const toView = (row: SilenceRow): SilenceView => ({
  id: row.id,
  matchers: row.matchers,
  startsAt: row.starts_at.toISOString(),
  endsAt: row.ends_at.toISOString(),
  comment: row.comment,
  createdBy: row.created_by,
  createdAt: row.created_at.toISOString(),
});

export async function insertSilence(
  db: SqlExecutor,
  spec: SilenceSpec,
  actor: string,
  now: Date,
): Promise<SilenceView> {
  if (Date.parse(spec.endsAt) <= now.getTime())
    throw new KailashError('VALIDATION_FAILED', 'invalid silence: endsAt: must be in the future', {
      issues: [{ field: 'endsAt', message: 'must be in the future' }],
    });
  const [row] = await db.query<SilenceRow>(
    `INSERT INTO alert_silences (id, matchers, starts_at, ends_at, comment, created_by, created_at)
     VALUES ($1, $2::jsonb, $3, $4, $5, $6, $7) RETURNING *`,
    [
      randomUUID(),
      JSON.stringify(spec.matchers),
      spec.startsAt ?? now,
      spec.endsAt,
      spec.comment,
      actor,
      now,
    ],
  );
  return toView(row as SilenceRow);
}

export async function deleteSilence(db: SqlExecutor, silenceId: string): Promise<boolean> {
  const rows = await db.query('DELETE FROM alert_silences WHERE id = $1 RETURNING id', [silenceId]);
  if (rows.length === 0) throw new KailashError('NOT_FOUND', `no silence ${silenceId}`, { silenceId });
  return true;
}

/** Silences not yet expired (expired ones are removed as they are found). */
export async function listSilences(db: SqlExecutor, now: Date): Promise<SilenceView[]> {
  await db.query('DELETE FROM alert_silences WHERE ends_at <= $1', [now]);
  const rows = await db.query<SilenceRow>('SELECT * FROM alert_silences ORDER BY created_at, id LIMIT 10000');
  return rows.map(toView);
}

/** The silences in force at `now`, as a predicate over alert labels. */
export async function activeSilences(db: SqlExecutor, now: Date): Promise<(labels: Labels) => boolean> {
  const rows = await db.query<{ matchers: Record<string, string> }>(
    'SELECT matchers FROM alert_silences WHERE starts_at <= $1 AND ends_at > $1',
    [now],
  );
  return (labels) => rows.some((row) => matchesAll(row.matchers, labels));
}
