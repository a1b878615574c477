import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import type { LeaseConfig } from './lease.config';
import { LEASE_CONFIG } from './lease.config';
import { findDueLeases } from './leases.read-model';
import { LeasesService } from './leases.service';

/**
 * Every instance sweeps: it asks the projection which held leases are past their deadline and
 * sends each an ExpireLease command. Optimistic concurrency lets exactly one instance publish the
 * expiry, and the decider refuses it if the lease was renewed since the projection saw it, so
 * sweeping everywhere gives no double expiry, and no single instance's death loses one. Deadlines
 * live in PostgreSQL, so expiry also survives restarts: a lease that ran out while every
 * instance was down expires at the first sweep after boot.
 *
 * Sweeps run on the service clock's schedule, so a test that drives the clock drives the sweeps.
 */
@Injectable()
export class LeaseSweeper implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('LeaseSweeper');
  private stopSchedule?: () => void;
  private sweeping?: Promise<number>;
  private stopping = false;

  constructor(
    private readonly leases: LeasesService,
    private readonly clock: ServiceClock,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(LEASE_CONFIG) private readonly config: LeaseConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.stopSchedule = this.clock.every(this.config.LEASE_SWEEP_INTERVAL_MS, async () => {
      await this.sweepOnce();
    });
  }

  /** Runs before NATS drains and the pool closes: stop, and let the sweep in hand finish. */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.stopSchedule?.();
    await this.sweeping?.catch(() => undefined);
  }

  /**
   * One pass, unless one is already running (a slow sweep is not stacked on: the caller gets the
   * running one). Resolves to how many expiries this instance published.
   */
  sweepOnce(): Promise<number> {
    this.sweeping ??= this.sweep().finally(() => (this.sweeping = undefined));
    return this.sweeping;
  }

  private async sweep(): Promise<number> {
    const due = await findDueLeases(this.db, new Date(this.clock.nowMs()), this.config.LEASE_SWEEP_BATCH);
    let expired = 0;
    for (const resource of due) {
      if (this.stopping) break;
      try {
        if (await this.leases.expireIfDue(resource)) expired++;
      } catch (error) {
        // One lease failing must not hold back the others; the next sweep tries it again.
        this.logger.warn({ msg: 'could not expire lease', resource, error: String(error) });
      }
    }
    return expired;
  }
}
