import { Inject, Injectable } from '@nestjs/common';
import type { CommandResult, SqlDatabase } from '@kailash/backbone';
import { EventPublisher, handleCommand } from '@kailash/backbone';
import type { LeaseAcquireRequest, LeaseEvent, LeaseReleaseRequest, LeaseRenewRequest, LeaseView } from '@kailash/contracts';
import { LEASE_AGGREGATE, leaseAggregateId, notFound, stateEventCatalog, STATE_DOMAIN, SubjectSpace } from '@kailash/contracts';
import { JETSTREAM, JETSTREAM_MANAGER, SQL_DATABASE, SUBJECTS } from '@kailash/service-kit';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { LeaseCommand, LeaseState } from './lease';
import { decide, evolve, initialState } from './lease';
import { LastEventReader } from './lease-reader';
import { ServiceClock } from '@kailash/service-kit';
import { LeaseMetrics } from './lease.metrics';
import { findLease, stateToView } from './leases.read-model';

type CommandInput<T extends LeaseCommand['type']> = Omit<Extract<LeaseCommand, { type: T }>, 'type' | 'now' | 'resource'>;

/** The lease use cases, shared by the REST controller, the NATS handlers and the sweeper. */
@Injectable()
export class LeasesService {
  private readonly reader: LastEventReader;

  constructor(
    private readonly publisher: EventPublisher,
    @Inject(SUBJECTS) private readonly subjects: SubjectSpace,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(JETSTREAM) js: JetStreamClient,
    @Inject(JETSTREAM_MANAGER) jsm: JetStreamManager,
    private readonly clock: ServiceClock,
    private readonly metrics: LeaseMetrics,
  ) {
    this.reader = new LastEventReader(js, jsm, subjects.stream(STATE_DOMAIN), stateEventCatalog);
  }

  async acquire(resource: string, request: LeaseAcquireRequest, correlationId?: string): Promise<LeaseView> {
    return this.viewOf(await this.execute(resource, 'AcquireLease', { ...request, ...traced(correlationId) }));
  }

  async renew(resource: string, request: LeaseRenewRequest, correlationId?: string): Promise<LeaseView> {
    const { ttlMs, ...rest } = request;
    return this.viewOf(await this.execute(resource, 'RenewLease', { ...rest, ...(ttlMs ? { ttlMs } : {}), ...traced(correlationId) }));
  }

  async release(resource: string, request: LeaseReleaseRequest, correlationId?: string): Promise<LeaseView> {
    return this.viewOf(await this.execute(resource, 'ReleaseLease', { ...request, ...traced(correlationId) }));
  }

  /** Expires the lease if it is still held past its deadline; true if this call published the expiry. */
  async expireIfDue(resource: string): Promise<boolean> {
    const result = await this.execute(resource, 'ExpireLease', {});
    return result.published.some(({ event }) => event.type === 'lease.expired');
  }

  /** The lease as its stream holds it now (authoritative, unlike the projection). */
  async current(resource: string): Promise<LeaseState> {
    const subject = this.subjects.event(STATE_DOMAIN, LEASE_AGGREGATE, leaseAggregateId(resource));
    return (await this.reader.load(subject, initialState, evolve)).state;
  }

  /** The lease as the projection holds it (it may trail the last command by a moment). */
  async get(resource: string): Promise<LeaseView> {
    const lease = await findLease(this.db, resource);
    if (!lease) throw notFound('lease', resource);
    return lease;
  }

  private async execute<T extends LeaseCommand['type']>(resource: string, type: T, input: CommandInput<T>): Promise<CommandResult<LeaseState>> {
    // Each attempt of handleCommand re-decides with this `now`: a retry after a conflict judges
    // deadlines as of when the request arrived, never later.
    const command = { ...input, type, resource, now: this.clock.nowMs() } as LeaseCommand;
    const subject = this.subjects.event(STATE_DOMAIN, LEASE_AGGREGATE, leaseAggregateId(resource));
    const result = await handleCommand<LeaseState, LeaseCommand, LeaseEvent>(
      { reader: this.reader, publisher: this.publisher, subject },
      { initialState, evolve, decide },
      command,
    );
    this.metrics.published(result.published);
    return result;
  }

  private viewOf(result: CommandResult<LeaseState>): LeaseView {
    // Acquire, renew and release either publish or throw, so the state is never vacant here.
    return stateToView(result.state, result.version) as LeaseView;
  }
}

const traced = (correlationId: string | undefined) => (correlationId ? { correlationId } : {});
