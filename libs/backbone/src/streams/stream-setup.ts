import { randomBytes } from 'node:crypto';
import type { SubjectSpace } from '@kailash/contracts';
import type { JetStreamManager, StreamConfig } from '@nats-io/jetstream';
import {
  AckPolicy,
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  RetentionPolicy,
  StorageType,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { BackboneError } from '../errors';

export type StreamSpec = Pick<StreamConfig, 'name' | 'subjects'> & Partial<StreamConfig>;

// Who may configure a stream (only its writer; docs/fleet-facts.md):
// - its owner, the service that writes it, creates it and brings its config up to date (ensureStream);
// - a stream every service writes (the DLQ) or many processes write (TELEMETRY's agents) is created
//   by whoever needs it first, from the one spec below, and never rewritten (createStreamIfMissing);
// - a consumer never touches the config: it waits until the stream exists (waitForStream).

/**
 * The owner's call: creates its stream, or updates it when it exists with other settings. Safe
 * from every instance at every boot: concurrent creators converge on the same config.
 */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const current = await streamConfig(jsm, spec.name);
  if (!current) return void (await addConverging(jsm, spec));
  if (differences(current, spec).length > 0) await jsm.streams.update(spec.name, spec);
}

/**
 * A writer that does not own the config: creates the stream if nobody has yet, and never changes
 * an existing one. Returns the settings where the stream differs from this spec, for the caller to log.
 */
export async function createStreamIfMissing(
  jsm: JetStreamManager,
  spec: StreamSpec,
): Promise<{ created: boolean; differences: string[] }> {
  const current = await streamConfig(jsm, spec.name);
  if (current) return { created: false, differences: differences(current, spec) };
  await addConverging(jsm, spec);
  return { created: true, differences: [] };
}

export interface StreamWaitOptions {
  /** The wait is bounded: past this, StreamMissingError. */
  readonly timeoutMs: number;
  readonly pollMs?: number;
  /** Called before every poll after the first, with how long the wait has lasted. */
  readonly onWaiting?: (waitedMs: number) => void;
  readonly signal?: AbortSignal;
  /** Injectable time, so the bound is testable without waiting it out. */
  readonly clock?: { now(): number; sleep(ms: number, signal?: AbortSignal): Promise<void> };
}

/** The stream a consumer reads did not appear in time: its writer has not created it. */
export class StreamMissingError extends BackboneError {
  constructor(
    readonly stream: string,
    readonly waitedMs: number,
    options?: ErrorOptions,
  ) {
    super(
      `stream ${stream} does not exist after waiting ${waitedMs} ms; the service that writes it creates it`,
      options,
    );
  }
}

/** A consumer's call: resolves once the stream exists; never creates or changes it. */
export async function waitForStream(
  jsm: JetStreamManager,
  name: string,
  options: StreamWaitOptions,
): Promise<void> {
  const clock = options.clock ?? realClock;
  const started = clock.now();
  let lastError: unknown;
  // A look that fails (a JetStream timeout at boot) is one more "not yet", never the end of the wait.
  const look = () => streamConfig(jsm, name).catch((error: unknown) => void (lastError = error));
  while (!(await look())) {
    options.signal?.throwIfAborted();
    const waited = clock.now() - started;
    if (waited >= options.timeoutMs) {
      throw new StreamMissingError(name, waited, lastError === undefined ? undefined : { cause: lastError });
    }
    options.onWaiting?.(waited);
    await clock.sleep(Math.min(options.pollMs ?? 1000, options.timeoutMs - waited), options.signal);
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
export async function takeOverDurableConsumer(
  jsm: JetStreamManager,
  spec: DurableConsumerSpec,
): Promise<string> {
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

const SERVICE_NAME = /^[a-z][a-z0-9-]*$/;

/**
 * The durable name of a service's projection on a stream. Several services project one stream
 * (each keeps its own fleet view from STATE), so the name carries the service: two services with a
 * projection of the same name must never take over, or delete, each other's consumers. A service
 * name has no "_", so the first one ends it and no two (service, projection) pairs share a name.
 */
export function projectionConsumerName(service: string, projection: string): string {
  if (!SERVICE_NAME.test(service))
    throw new BackboneError(`service name '${service}' must match ${SERVICE_NAME}`);
  return `${service}_${projection}`;
}

/** Deletes every consumer a projection ever used on a stream (any generation). */
export async function deleteProjectionConsumers(
  jsm: JetStreamManager,
  stream: string,
  projection: string,
): Promise<void> {
  const names: string[] = [];
  for await (const info of jsm.consumers.list(stream)) {
    if (info.name === projection || info.name.startsWith(`${projection}${GENERATION_SEPARATOR}`))
      names.push(info.name);
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

async function streamConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (error) {
    if (isNotFound(error)) return undefined;
    throw error;
  }
}

/** Another instance may create it between our look and our add: same spec, so that is success. */
async function addConverging(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  try {
    await jsm.streams.add(spec);
  } catch (error) {
    if (!(error instanceof JetStreamApiError && (await streamConfig(jsm, spec.name)))) throw error;
  }
}

/** The settings of `wanted` that `current` does not have as wanted. */
function differences(current: Partial<StreamConfig>, wanted: StreamSpec): string[] {
  return Object.entries(wanted)
    .filter(([key, value]) => JSON.stringify(current[key as keyof StreamConfig]) !== JSON.stringify(value))
    .map(([key]) => key);
}

const realClock = {
  now: () => Date.now(),
  sleep: (ms: number, signal?: AbortSignal) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};
