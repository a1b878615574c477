import type { OnApplicationShutdown, Provider } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { StreamSpec } from '@kailash/backbone';
import {
  createStreamIfMissing,
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  seedClockFromStream,
  StreamMissingError,
  telemetryStreamSpec,
  waitForStream,
} from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import type { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { ServiceConfig } from '../config/service-config';
import { HLC_CLOCK, JETSTREAM_MANAGER, NATS_CONNECTION, SERVICE_CONFIG, SUBJECTS } from '../config/tokens';

/**
 * Who configures which stream (only its writer; docs/fleet-facts.md):
 * - the service's own domain stream: this service writes it, so it creates and updates it;
 * - DLQ: every service writes it; created if missing from the one shared spec, never updated;
 * - TELEMETRY: monitor-svc owns its retention ('owner'); the edge agents and anyone else that
 *   writes it ('writer') create it if missing, never update it; everyone else leaves it alone;
 * - streams of other domains: consumers wait for them and never touch their config.
 */
export interface StreamOwnership {
  readonly domain?: string;
  readonly telemetry?: 'owner' | 'writer';
  /** false: it publishes no events (an edge agent), so there is no domain stream to create. */
  readonly writesEvents?: boolean;
  /** Other domains whose streams it reads; readiness waits for them. Projections' domains are awaited anyway. */
  readonly consumesDomains?: readonly string[];
}

export type StreamStatus = 'present' | 'waiting' | 'missing';

/** The streams this service reads from others: waited for (bounded, logged) and reported to readiness. */
export class ServiceStreams implements OnApplicationShutdown {
  private readonly logger = new Logger('Streams');
  private readonly waits = new Map<string, Promise<void>>();
  private readonly status = new Map<string, StreamStatus>();
  private readonly stopping = new AbortController();

  constructor(
    private readonly jsm: JetStreamManager,
    private readonly config: Pick<ServiceConfig, 'STREAM_WAIT_MS'>,
  ) {}

  /** One look: true (and recorded for readiness) when the stream exists now. */
  async present(stream: string): Promise<boolean> {
    try {
      await this.jsm.streams.info(stream);
    } catch {
      return false;
    }
    if (!this.waits.has(stream)) this.waits.set(stream, Promise.resolve());
    this.status.set(stream, 'present');
    return true;
  }

  /** Resolves once the stream exists; rejects with StreamMissingError past STREAM_WAIT_MS. */
  whenExists(stream: string): Promise<void> {
    let wait = this.waits.get(stream);
    if (!wait) {
      wait = this.wait(stream);
      this.waits.set(stream, wait);
    }
    return wait;
  }

  statuses(): Record<string, StreamStatus> {
    return Object.fromEntries(this.status);
  }

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  private async wait(stream: string): Promise<void> {
    this.status.set(stream, 'waiting');
    let nextLogAt = 0;
    try {
      await waitForStream(this.jsm, stream, {
        timeoutMs: this.config.STREAM_WAIT_MS,
        signal: this.stopping.signal,
        onWaiting: (waitedMs) => {
          if (waitedMs < nextLogAt) return;
          nextLogAt = waitedMs + 10_000;
          this.logger.warn({
            msg: 'waiting for a stream its writer has not created yet',
            stream,
            waitedMs,
            limitMs: this.config.STREAM_WAIT_MS,
          });
        },
      });
      this.status.set(stream, 'present');
    } catch (error) {
      this.status.set(stream, 'missing');
      if (error instanceof StreamMissingError) this.logger.error({ msg: error.message, stream });
      throw error;
    }
  }
}

/**
 * The JetStream manager, once the streams this service writes are in place and its clock is
 * seeded from its own stream; and the waiter for the streams it only reads.
 */
export function streamProviders(ownership: StreamOwnership): Provider[] {
  return [
    {
      provide: JETSTREAM_MANAGER,
      inject: [NATS_CONNECTION, SUBJECTS, HLC_CLOCK],
      useFactory: async (nc: NatsConnection, subjects: SubjectSpace, clock: HybridLogicalClock) => {
        const jsm = await jetstreamManager(nc);
        if (ownership.domain && ownership.writesEvents !== false) {
          await ensureStream(jsm, domainStreamSpec(subjects, ownership.domain));
          await seedClockFromStream(jsm, subjects.stream(ownership.domain), clock);
        }
        await createShared(jsm, deadLetterStreamSpec(subjects));
        if (ownership.telemetry === 'owner') await ensureStream(jsm, telemetryStreamSpec(subjects));
        if (ownership.telemetry === 'writer') await createShared(jsm, telemetryStreamSpec(subjects));
        return jsm;
      },
    },
    {
      provide: ServiceStreams,
      inject: [JETSTREAM_MANAGER, SUBJECTS, SERVICE_CONFIG],
      useFactory: (jsm: JetStreamManager, subjects: SubjectSpace, config: ServiceConfig) => {
        const streams = new ServiceStreams(jsm, config);
        // Started now, awaited by nobody: readiness reports them until they appear.
        for (const domain of ownership.consumesDomains ?? [])
          streams.whenExists(subjects.stream(domain)).catch(() => undefined);
        return streams;
      },
    },
  ];
}

async function createShared(jsm: JetStreamManager, spec: StreamSpec): Promise<void> {
  const { differences } = await createStreamIfMissing(jsm, spec);
  if (differences.length > 0) {
    // Not ours to change: whoever set it differently owns that choice. Said once per boot.
    new Logger('Streams').warn({
      msg: "shared stream differs from this service's spec; left as it is",
      stream: spec.name,
      differences,
    });
  }
}
