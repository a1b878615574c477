import { RequestContext } from '../context/request-context';
import { BackboneError } from '../errors';
import type { SqlDatabase } from '../projection/sql';
import type { EventPublisher } from '../publishing/event-publisher';
import { forgetAttempts, markAttempts } from './attempt-marks';
import type { OutboxEntry, OutboxStore } from './outbox';

/** Some events stayed in the outbox; the cause is the first failure. The next flush retries them. */
export class OutboxFlushError extends BackboneError {
  constructor(
    /** How many aggregates have events held back. */
    readonly aggregates: number,
    options: ErrorOptions,
  ) {
    super(`publishing the events of ${aggregates} aggregate(s) failed; kept for the next flush`, options);
  }
}

/** What a flusher needs of the publisher: appending, and looking at what its stream holds. */
export type OutboxPublisher = Pick<EventPublisher, 'publish' | 'subjectOf' | 'stored'>;

export interface OutboxFlushOptions<E extends OutboxEntry> {
  readonly db: SqlDatabase;
  readonly publisher: OutboxPublisher;
  readonly store: OutboxStore<E>;
  /** Rows read per flush. */
  readonly limit?: number;
}

/**
 * Publishes the outbox in its order and retires each event once JetStream acknowledged it. An
 * aggregate whose event fails keeps its later ones back until the next flush; others go on.
 *
 * Exactly once even after JetStream's duplicate window: before an attempt, each event is marked
 * with the stream's last sequence. An event whose mark is older than the stream's last sequence
 * may have been stored by an earlier attempt (a crash between the ack and the retire, a publish
 * that timed out, another replica flushing at once), so its subject is read after the mark and
 * the event is retired without publishing if it is there. An expectation on the subject's last
 * sequence could not tell this: an aggregate's subject is shared with events written elsewhere.
 */
export async function flushOutbox<E extends OutboxEntry>(options: OutboxFlushOptions<E>): Promise<number> {
  const { db, publisher, store } = options;
  const entries = await store.pending(db, options.limit ?? 500);
  if (entries.length === 0) return 0;
  let marks: Map<string, number>;
  let sequence: number;
  try {
    sequence = await publisher.stored.lastSequence();
    marks = await markAttempts(
      db,
      entries.map((entry) => entry.draft.id),
      sequence,
    );
  } catch (error) {
    const aggregates = new Set(entries.map((entry) => publisher.subjectOf(entry.draft)));
    throw new OutboxFlushError(aggregates.size, { cause: error });
  }
  const retired: string[] = [];
  const blocked = new Set<string>();
  let failure: unknown;
  for (const entry of entries) {
    const subject = publisher.subjectOf(entry.draft);
    if (blocked.has(subject)) continue;
    try {
      await publishUnlessStored(publisher, entry, subject, marks.get(entry.draft.id) ?? sequence, sequence);
      await store.retire(db, entry);
      retired.push(entry.draft.id);
    } catch (error) {
      blocked.add(subject);
      failure ??= error;
    }
  }
  await forgetAttempts(db, retired).catch(() => undefined);
  if (blocked.size > 0) throw new OutboxFlushError(blocked.size, { cause: failure });
  return retired.length;
}

async function publishUnlessStored(
  publisher: OutboxPublisher,
  entry: OutboxEntry,
  subject: string,
  mark: number,
  sequence: number,
): Promise<void> {
  if (mark < sequence && (await publisher.stored.isStored(subject, entry.draft.id, mark))) return;
  // The stored actor, or none: never the principal of whichever request happens to flush.
  const scope = entry.actor ? { principal: entry.actor } : {};
  await RequestContext.run(scope, () => publisher.publish(entry.draft));
}
