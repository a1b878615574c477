import { Inject, Injectable } from '@nestjs/common';
import type { AggregateStore, CommandResult, SqlDatabase } from '@kailash/backbone';
import type {
  LeaseAcquireRequest,
  LeaseEvent,
  LeaseReleaseRequest,
  LeaseRenewRequest,
  LeaseView,
} from '@kailash/contracts';
import { LEASE_AGGREGATE, leaseAggregateId, notFound } from '@kailash/contracts';
import { AggregateStores, ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import type { LeaseCommand, LeaseState } from './lease';
import { checkFence, decide, evolve, initialState } from './lease';
import { LeaseMetrics } from './lease.metrics';
import { findLease, stateToView } from './leases.read-model';

type CommandInput<T extends LeaseCommand['type']> = Omit<
  Extract<LeaseCommand, { type: T }>,
  'type' | 'now' | 'resource'
>;

/** The lease use cases, shared by the REST controller, the NATS handlers and the sweeper. */
@Injectable()
export class LeasesService {
  private readonly leases: AggregateStore<LeaseState, LeaseCommand, LeaseEvent>;

  constructor(
    stores: AggregateStores,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    private readonly clock: ServiceClock,
    private readonly metrics: LeaseMetrics,
  ) {
    // Every lease event carries the whole lease: an edge agent renewing every few seconds costs
    // one read of the last event, never a replay of its history.
    this.leases = stores.create<LeaseState, LeaseCommand, LeaseEvent>({
      type: LEASE_AGGREGATE,
      initialState,
      evolve,
      decide,
      load: { kind: 'last-event' },
    });
  }

  async acquire(resource: string, request: LeaseAcquireRequest, correlationId?: string): Promise<LeaseView> {
    return this.viewOf(
      await this.execute(resource, 'AcquireLease', { ...request, ...traced(correlationId) }),
    );
  }

  async renew(resource: string, request: LeaseRenewRequest, correlationId?: string): Promise<LeaseView> {
    const { ttlMs, ...rest } = request;
    return this.viewOf(
      await this.execute(resource, 'RenewLease', {
        ...rest,
        ...(ttlMs ? { ttlMs } : {}),
        ...traced(correlationId),
      }),
    );
  }

  async release(resource: string, request: LeaseReleaseRequest, correlationId?: string): Promise<LeaseView> {
    return this.viewOf(
      await this.execute(resource, 'ReleaseLease', { ...request, ...traced(correlationId) }),
    );
  }

  /** Expires the lease if it is still held past its deadline; true if this call published the expiry. */
  async expireIfDue(resource: string): Promise<boolean> {
    const result = await this.execute(resource, 'ExpireLease', {});
    return result.published.some(({ event }) => event.type === 'lease.expired');
  }

  /** Refuses (CONFLICT) a write fenced by `token` unless that grant of the lease is live now. */
  async checkFence(resource: string, token: number): Promise<void> {
    checkFence(await this.current(resource), resource, token, this.clock.nowMs());
  }

  /** The lease as its stream holds it now (authoritative, unlike the projection). */
  async current(resource: string): Promise<LeaseState> {
    return (await this.leases.load(leaseAggregateId(resource))).state;
  }

  /** The lease as the projection holds it (it may trail the last command by a moment). */
  async get(resource: string): Promise<LeaseView> {
    const lease = await findLease(this.db, resource);
    if (!lease) throw notFound('lease', resource);
    return lease;
  }

  private async execute<T extends LeaseCommand['type']>(
    resource: string,
    type: T,
    input: CommandInput<T>,
  ): Promise<CommandResult<LeaseState>> {
    // Each attempt after a conflict re-decides with this `now`: a retry after a conflict judges
    // deadlines as of when the request arrived, never later.
    const command = { ...input, type, resource, now: this.clock.nowMs() } as LeaseCommand;
    const result = await this.leases.handle(leaseAggregateId(resource), command);
    this.metrics.published(result.published);
    return result;
  }

  private viewOf(result: CommandResult<LeaseState>): LeaseView {
    // Acquire, renew and release either publish or throw, so the state is never vacant here.
    return stateToView(result.state, result.version) as LeaseView;
  }
}

const traced = (correlationId: string | undefined) => (correlationId ? { correlationId } : {});
