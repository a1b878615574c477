import { randomBytes } from 'node:crypto';
import type { SubjectSpace } from '@kailash/contracts';
import type { ConsumerInfo, JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import { AckPolicy, DeliverPolicy, DiscardPolicy, JetStreamApiCodes, JetStreamApiError, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

type StreamSpec = Pick<StreamConfig, 'name' | 'subjects'> & Partial<StreamConfig>;

/**
 * Creates a stream, or updates it when it exists with other settings. Safe to call from every
 * instance at every boot: concurrent creators converge on the same config.
 */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  try {
    const info = await jsm.streams.info(spec.name);
    if (differs(info.config, spec)) await jsm.streams.update(spec.name, spec);
  } catch (error) {
    if (!isNotFound(error)) throw error;
    try {
      await jsm.streams.add(spec);
    } catch (addError) {
      // Another instance created it between our info and add.
      if (!(addError instanceof JetStreamApiError && (await exists(jsm, spec.name)))) throw addError;
    }
  }
}

/** The event stream of one domain: kept forever (it is the source of truth), deduplicated by Nats-Msg-Id. */
export function domainStreamSpec(subjects: SubjectSpace, domain: string): StreamSpec {
  return {
    name: subjects.stream(domain),
    subjects: [subjects.events(domain)],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    duplicate_window: nanos(2 * 60_000),
    max_msg_size: 1024 * 1024,
  };
}

/** Poison messages with their reasons; kept 30 days for inspection and replay. */
export function deadLetterStreamSpec(subjects: SubjectSpace): StreamSpec {
  return {
    name: subjects.deadLetterStream(),
    subjects: [subjects.deadLetterAll()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    max_age: nanos(30 * 24 * 3600_000),
    duplicate_window: nanos(2 * 60_000),
  };
}

/** High-volume metrics and heartbeats: not event-sourced, so bounded by age and size. */
export function telemetryStreamSpec(subjects: SubjectSpace): StreamSpec {
  return {
    name: subjects.telemetryStream(),
    subjects: [subjects.telemetryAll()],
    retention: RetentionPolicy.Limits,
    storage: StorageType.File,
    discard: DiscardPolicy.Old,
    max_age: nanos(24 * 3600_000),
    max_bytes: 1024 ** 3,
  };
}

export interface DurableConsumerSpec {
  readonly stream: string;
  /** The projection's name; each takeover gets its own consumer named `<durable>__<generation>`. */
  readonly durable: string;
  readonly filterSubject: string;
  /** Upper bound of unacknowledged messages the server hands out: the backpressure limit. */
  readonly maxAckPending: number;
  readonly ackWaitMs: number;
  /** Deliver from the first event after this stream sequence (0: from the start). */
  readonly startAfter: number;
}

const GENERATION_SEPARATOR = '__';

/**
 * Creates a fresh durable pull consumer for a projector that just took over, positioned right after
 * its committed checkpoint, and deletes the consumers of earlier holders. Two reasons:
 * - redeliveries of what a crashed holder had in hand would otherwise arrive behind newer events,
 *   and a projector that skips "at or below its checkpoint" would lose them;
 * - an earlier holder that lost its lock but not its NATS connection keeps pulling from its consumer;
 *   a new name means it can never take (and then drop) messages meant for the new holder, and
 *   deleting its consumer ends its pull loop.
 * Returns the new consumer's name.
 */
export async function takeOverDurableConsumer(jsm: JetStreamManager, spec: DurableConsumerSpec): Promise<string> {
  await deleteProjectionConsumers(jsm, spec.stream, spec.durable);
  const name = `${spec.durable}${GENERATION_SEPARATOR}${Date.now().toString(36)}${randomBytes(3).toString('hex')}`;
  await jsm.consumers.add(spec.stream, {
    durable_name: name,
    ack_policy: AckPolicy.Explicit,
    ...(spec.startAfter > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: spec.startAfter + 1 }
      : { deliver_policy: DeliverPolicy.All }),
    filter_subject: spec.filterSubject,
    max_ack_pending: spec.maxAckPending,
    ack_wait: nanos(spec.ackWaitMs),
    // The runner counts deliveries and dead-letters itself; a server-side cap would strand messages.
    max_deliver: -1,
  });
  return name;
}

/** The consumer of the projection's current holder, if one is projecting (newest generation). */
export async function findProjectionConsumer(jsm: JetStreamManager, stream: string, projection: string): Promise<ConsumerInfo | undefined> {
  let newest: ConsumerInfo | undefined;
  for await (const info of jsm.consumers.list(stream)) {
    if (!info.name.startsWith(`${projection}${GENERATION_SEPARATOR}`)) continue;
    if (!newest || info.created > newest.created) newest = info;
  }
  return newest;
}

/** Deletes every consumer a projection ever used on a stream (any generation). */
export async function deleteProjectionConsumers(jsm: JetStreamManager, stream: string, projection: string): Promise<void> {
  const names: string[] = [];
  for await (const info of jsm.consumers.list(stream)) {
    if (info.name === projection || info.name.startsWith(`${projection}${GENERATION_SEPARATOR}`)) names.push(info.name);
  }
  for (const name of names) {
    try {
      await jsm.consumers.delete(stream, name);
    } catch (error) {
      if (!isNotFound(error)) throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamNotFound || error.code === JetStreamApiCodes.ConsumerNotFound)
  );
}

async function exists(jsm: JetStreamManager, stream: string): Promise<boolean> {
  try {
    await jsm.streams.info(stream);
    return true;
  } catch {
    return false;
  }
}

function differs(current: Partial<StreamConfig>, wanted: StreamSpec): boolean {
  return Object.entries(wanted).some(
    ([key, value]) => JSON.stringify(current[key as keyof StreamConfig]) !== JSON.stringify(value),
  );
}
