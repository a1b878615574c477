import { randomUUID } from 'node:crypto';
import type { SqlDatabase } from '@kailash/backbone';
import type { AlertsConfig } from './alerts.config';
import { backoffMs } from './alerts.config';

interface NotificationRow {
  id: string;
  url: string;
  payload: unknown;
  attempts: number;
}

export type DeliveryOutcome = 'delivered' | 'retry' | 'dead-letter';

/**
 * Delivers the queued notifications that are due: one POST of the JSON payload each, bounded by
 * the timeout. A failure (network, timeout, a non-2xx answer) is retried after an exponential
 * backoff on the service clock; after the last attempt the notification moves to
 * `alert_dead_letters` with its last error. Delivery is at least once: the payload's
 * `notificationId` lets a receiver drop a repeat.
 */
export async function dispatchDue(
  db: SqlDatabase,
  config: AlertsConfig,
  now: number,
  limit = 50,
): Promise<DeliveryOutcome[]> {
  const due = await db.query<NotificationRow>(
    `SELECT id, url, payload, attempts FROM alert_notifications
      WHERE next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`,
    [new Date(now), limit],
  );
  return Promise.all(due.map((row) => deliver(db, config, row, now)));
}

async function deliver(
  db: SqlDatabase,
  config: AlertsConfig,
  row: NotificationRow,
  now: number,
): Promise<DeliveryOutcome> {
  const error = await post(row.url, row.payload, config.webhookTimeoutMs);
  if (error === undefined) {
    await db.query('DELETE FROM alert_notifications WHERE id = $1', [row.id]);
    return 'delivered';
  }
  const attempts = row.attempts + 1;
  if (attempts < config.webhookAttempts) {
    await db.query(
      'UPDATE alert_notifications SET attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $1',
      [row.id, attempts, new Date(now + backoffMs(config, attempts)), error],
    );
    return 'retry';
  }
  await db.transaction(async (tx) => {
    await tx.query(
      `INSERT INTO alert_dead_letters (id, url, payload, attempts, last_error, failed_at)
       VALUES ($1, $2, $3::jsonb, $4, $5, $6)`,
      [randomUUID(), row.url, JSON.stringify(row.payload), attempts, error, new Date(now)],
    );
    await tx.query('DELETE FROM alert_notifications WHERE id = $1', [row.id]);
  });
  return 'dead-letter';
}

/** undefined on a 2xx answer; otherwise what went wrong, for the record. */
async function post(url: string, payload: unknown, timeoutMs: number): Promise<string | undefined> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.body?.cancel().catch(() => undefined);
    return response.ok ? undefined : `HTTP ${response.status}`;
  } catch (error) {
    const cause = (error as { cause?: unknown }).cause;
    return `${(error as Error).name}: ${(error as Error).message}${cause ? ` (${String(cause)})` : ''}`.slice(
      0,
      1000,
    );
  }
}
