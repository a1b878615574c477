import { randomUUID } from 'node:crypto';
import type { SqlExecutor } from '@kailash/backbone';
import type { AlertRuleSpec, AlertRuleView } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';

interface RuleRow {
  readonly id: string;
  readonly version: number;
  readonly spec: AlertRuleSpec;
  readonly created_by: string;
  readonly updated_by: string;
  readonly created_at: Date;
  readonly updated_at: Date;
}

const toView = (row: RuleRow): AlertRuleView => ({
  id: row.id,
  version: row.version,
  spec: row.spec,
  createdBy: row.created_by,
  updatedBy: row.updated_by,
  createdAt: row.created_at.toISOString(),
  updatedAt: row.updated_at.toISOString(),
});

export const ruleNotFound = (ruleId: string) =>
  new KailashError('NOT_FOUND', `no alert rule ${ruleId}`, { ruleId });

export async function insertRule(
  db: SqlExecutor,
  spec: AlertRuleSpec,
  actor: string,
  now: Date,
): Promise<AlertRuleView> {
  const [row] = await db.query<RuleRow>(
    `INSERT INTO alert_rules (id, version, spec, created_by, updated_by, created_at, updated_at)
     VALUES ($1, 1, $2::jsonb, $3, $3, $4, $4) RETURNING *`,
    [randomUUID(), JSON.stringify(spec), actor, now],
  );
  return toView(row as RuleRow);
}

/** Replaces the spec; the rule's alerts keep their state (as a Prometheus reload keeps it). */
export async function replaceRule(
  db: SqlExecutor,
  ruleId: string,
  spec: AlertRuleSpec,
  actor: string,
  now: Date,
): Promise<AlertRuleView> {
  const [row] = await db.query<RuleRow>(
    `UPDATE alert_rules SET spec = $2::jsonb, version = version + 1, updated_by = $3, updated_at = $4
      WHERE id = $1 RETURNING *`,
    [ruleId, JSON.stringify(spec), actor, now],
  );
  if (!row) throw ruleNotFound(ruleId);
  return toView(row);
}

export async function findRule(db: SqlExecutor, ruleId: string): Promise<AlertRuleView> {
  const [row] = await db.query<RuleRow>('SELECT * FROM alert_rules WHERE id = $1', [ruleId]);
  if (!row) throw ruleNotFound(ruleId);
  return toView(row);
}

export async function listRules(db: SqlExecutor): Promise<AlertRuleView[]> {
  const rows = await db.query<RuleRow>('SELECT * FROM alert_rules ORDER BY created_at, id LIMIT 10000');
  return rows.map(toView);
}
