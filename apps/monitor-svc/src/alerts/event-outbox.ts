import type { OutboxEntry, OutboxPublisher, OutboxStore, SqlDatabase } from '@kailash/backbone';
import { flushOutbox } from '@kailash/backbone';
import type { DataOf } from '@kailash/contracts';
import { AlertFiring, AlertResolved } from '@kailash/contracts';

interface OutboxRow {
  id: string;
  type: string;
  aggregate_id: string;
  data: DataOf<typeof AlertFiring> | DataOf<typeof AlertResolved>;
  actor: string | null;
}

/** `alert_event_outbox`, oldest transition first; the event id is the row's, derived from the transition. */
const alertEventOutbox: OutboxStore = {
  async pending(db, limit) {
    const rows = await db.query<OutboxRow>(
      'SELECT id, type, aggregate_id, data, actor FROM alert_event_outbox ORDER BY created_at, id LIMIT $1',
      [limit],
    );
    return rows.map((row): OutboxEntry => {
      const definition = row.type === AlertFiring.type ? AlertFiring : AlertResolved;
      const draft = { definition, aggregateId: row.aggregate_id, data: row.data, id: row.id } as never;
      return { draft, actor: row.actor };
    });
  },
  async retire(db, entry) {
    await db.query('DELETE FROM alert_event_outbox WHERE id = $1', [entry.draft.id]);
  },
};

/** Publishes the committed transitions in order, each once, as the actor stored with it. */
export function flushEventOutbox(db: SqlDatabase, publisher: OutboxPublisher): Promise<number> {
  return flushOutbox({ db, publisher, store: alertEventOutbox });
}
