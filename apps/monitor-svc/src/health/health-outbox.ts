import { createHash } from 'node:crypto';
import type { OutboxEntry, OutboxStore, SqlExecutor } from '@kailash/backbone';
import { EdgeHealthChanged } from '@kailash/contracts';
import type { HealthChangeData } from './health-store';

/** Event ids derived from what they report, so a republished change or a second replica's report is one message. */
export const healthEventId = (kind: string, edgeId: string, n: number) =>
  `${kind}-${createHash('sha256').update(edgeId).digest('hex').slice(0, 32)}-${n}`;

/** Status changes to publish, recorded in the transaction that made them. */
export async function addToOutbox(tx: SqlExecutor, changes: readonly HealthChangeData[]): Promise<void> {
  if (changes.length === 0) return;
  await tx.query(
    `INSERT INTO edge_health_outbox (edge_id, change, data)
       SELECT c->>'edgeId', (c->>'change')::int, c FROM jsonb_array_elements($1::jsonb) AS c
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(changes)],
  );
}

type HealthChangeEntry = OutboxEntry & { readonly change: HealthChangeData };

/** `edge_health_outbox`: each edge's changes in the order they happened, evaluations have no actor. */
export const healthChangeOutbox: OutboxStore<HealthChangeEntry> = {
  async pending(db, limit) {
    const rows = await db.query<{ data: HealthChangeData }>(
      'SELECT data FROM edge_health_outbox ORDER BY edge_id, change LIMIT $1',
      [limit],
    );
    return rows.map(({ data }) => ({
      change: data,
      draft: {
        definition: EdgeHealthChanged,
        aggregateId: data.edgeId,
        data,
        id: healthEventId('health', data.edgeId, data.change),
      },
    }));
  },
  async retire(db, { change }) {
    await db.query('DELETE FROM edge_health_outbox WHERE edge_id = $1 AND change = $2', [
      change.edgeId,
      change.change,
    ]);
  },
};
