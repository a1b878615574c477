import { Inject, Injectable } from '@nestjs/common';
import type { PublishedEvent, SqlDatabase } from '@kailash/backbone';
import { METRICS_REGISTRY, SQL_DATABASE } from '@kailash/service-kit';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';
import { ServiceClock } from '@kailash/service-kit';
import { countLiveLeases } from './leases.read-model';

export type PolicyOutcome = 'applied' | 'not-applicable' | 'edge-not-found' | 'refused' | 'superseded';

/**
 * Counters count what this instance published (sum them over instances); the live-leases gauge is
 * read from the shared projection at scrape time, so every instance reports the same fleet-wide value.
 */
@Injectable()
export class LeaseMetrics {
  private readonly byEventType: ReadonlyMap<string, Counter>;
  readonly policy: Counter<'outcome'>;

  constructor(
    @Inject(METRICS_REGISTRY) registry: Registry,
    @Inject(SQL_DATABASE) db: SqlDatabase,
    clock: ServiceClock,
  ) {
    const registers = [registry];
    const counter = (name: string, help: string) => new Counter({ name, help, registers });
    this.byEventType = new Map([
      [
        'lease.acquired',
        counter('kailash_lease_grants_total', 'Leases granted (each with a new fencing token)'),
      ],
      ['lease.renewed', counter('kailash_lease_renewals_total', 'Lease renewals accepted')],
      ['lease.released', counter('kailash_lease_releases_total', 'Leases released by their holder')],
      [
        'lease.expired',
        counter('kailash_lease_expiries_total', 'Leases expired because their holder did not renew in time'),
      ],
    ]);
    this.policy = new Counter({
      name: 'kailash_lease_expiry_policy_total',
      help: 'Edge expiry policy decisions by outcome',
      labelNames: ['outcome'],
      registers,
    });
    new Gauge({
      name: 'kailash_leases_active',
      help: 'Leases held and not past their deadline (from the projection)',
      registers,
      async collect() {
        this.set(await countLiveLeases(db, new Date(clock.nowMs())));
      },
    });
  }

  published(events: readonly PublishedEvent[]): void {
    for (const { event, duplicate } of events) if (!duplicate) this.byEventType.get(event.type)?.inc();
  }
}
