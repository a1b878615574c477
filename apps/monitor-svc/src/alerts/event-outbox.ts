import type { EventPublisher, SqlDatabase } from '@kailash/backbone';
import { RequestContext } from '@kailash/backbone';
import type { DataOf } from '@kailash/contracts';
import { AlertFiring, AlertResolved } from '@kailash/contracts';

interface OutboxRow {
  id: string;
  type: string;
  aggregate_id: string;
  data: DataOf<typeof AlertFiring> | DataOf<typeof AlertResolved>;
  actor: string | null;
}

/**
 * Publishes the committed transitions in order and removes each once JetStream stored it. The
 * event id is the outbox id, derived from the transition, so a publish repeated after a crash
 * between the publish and the delete is dropped by JetStream as a duplicate.
 */
export async function flushEventOutbox(db: SqlDatabase, publisher: EventPublisher): Promise<number> {
  const rows = await db.query<OutboxRow>(
    'SELECT id, type, aggregate_id, data, actor FROM alert_event_outbox ORDER BY created_at, id LIMIT 500',
  );
  for (const row of rows) {
    const definition = row.type === AlertFiring.type ? AlertFiring : AlertResolved;
    const draft = { definition, aggregateId: row.aggregate_id, data: row.data, id: row.id } as never;
    // The actor stored with the transition, never the one of whichever request flushes the outbox.
    await RequestContext.run(row.actor ? { principal: row.actor } : {}, () => publisher.publish(draft));
    await db.query('DELETE FROM alert_event_outbox WHERE id = $1', [row.id]);
  }
  return rows.length;
}
