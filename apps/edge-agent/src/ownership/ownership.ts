import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { StateObjectEvent } from '@kailash/contracts';
import {
  KailashError,
  STATE_DOMAIN,
  STATE_OBJECT_AGGREGATE,
  stateEventCatalog,
  StateObjectOwnerChanged,
  SubjectSpace,
} from '@kailash/contracts';
import { NATS_CONNECTION, SUBJECTS } from '@kailash/service-kit';
import type { JsMsg } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { WorkloadCatalog } from '../functions/workload-catalog';
import { OwnerFeed } from './owner-feed';

const RETRY_MS = 1_000;

/**
 * The owner an event of a state object records: the event that creates the object names it, an
 * owner change names the new one; every other event leaves it as it was (undefined).
 */
export function ownerAfter(event: StateObjectEvent): string | null | undefined {
  if (event.type === StateObjectOwnerChanged.type) return (event.data as { to: string | null }).to;
  return event.data.owner;
}

/**
 * Who owns each of this edge's workloads, as state-svc records it (the owner of the state object
 * with the workload's id), followed through state-svc's own events: one ordered consumer per agent
 * over the state objects' events, replayed from the first, then pushed as they happen. Events of
 * objects that are not this edge's workloads are dropped by subject before they are parsed. Nothing
 * is polled, so neither the agent nor state-svc does work per workload per interval; a deployed
 * workload starts the replay over, to learn its owner. A workload state-svc gives to another edge
 * is answered MOVED with that owner; one with no recorded owner is this edge's own, as declared.
 */
@Injectable()
export class Ownership implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Ownership');
  private readonly owners = new Map<string, string>();
  private readonly feed: OwnerFeed;
  private followed = new Set<string>();

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(SUBJECTS) private readonly subjects: SubjectSpace,
    private readonly catalog: WorkloadCatalog,
  ) {
    this.feed = new OwnerFeed({
      js: jetstream(nc),
      stream: subjects.stream(STATE_DOMAIN),
      retryMs: RETRY_MS,
      onMessage: (msg) => this.apply(msg),
    });
  }

  onApplicationBootstrap(): void {
    this.follow();
    this.catalog.onDeploy(() => this.follow());
  }

  async onApplicationShutdown(): Promise<void> {
    await this.feed.stop();
  }

  /** Throws MOVED (421) naming the owner when another edge owns the workload now. */
  assertOwned(workloadId: string): void {
    const owner = this.owners.get(workloadId);
    if (owner === undefined || owner === this.config.edgeId) return;
    throw new KailashError('MOVED', `workload '${workloadId}' is now served by edge '${owner}'`, {
      workloadId,
      owner,
    });
  }

  ownerOf(workloadId: string): string {
    return this.owners.get(workloadId) ?? this.config.edgeId;
  }

  private follow(): void {
    this.followed = new Set(
      this.catalog.all().map(({ id }) => this.subjects.event(STATE_DOMAIN, STATE_OBJECT_AGGREGATE, id)),
    );
    this.feed.follow(this.subjects.events(STATE_DOMAIN, STATE_OBJECT_AGGREGATE));
  }

  private apply(msg: JsMsg): void {
    if (!this.followed.has(msg.subject)) return;
    let event: StateObjectEvent;
    try {
      event = stateEventCatalog.parse(msg.json()) as StateObjectEvent;
    } catch (error) {
      // Not ours to judge: state-svc's projections dead-letter it; ownership keeps what it knew.
      this.logger.warn({ msg: 'unreadable state-object event skipped', seq: msg.seq, error: String(error) });
      return;
    }
    const owner = ownerAfter(event);
    if (owner === undefined) return;
    if (owner === null) this.owners.delete(event.data.objectId);
    else this.owners.set(event.data.objectId, owner);
  }
}
