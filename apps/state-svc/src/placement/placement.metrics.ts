import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@kailash/service-kit';
import type { Registry } from 'prom-client';
import { Counter, Histogram } from 'prom-client';

/**
 * `kailash_placement_seconds{strategy}`: time to rank the fleet, in memory (excludes transport and JSON).
 * `kailash_placement_fleet_rebuilds_total`: whole-index rebuilds after boot; edge changes apply in place,
 * so this moves only when the edges projection is replayed from scratch.
 */
@Injectable()
export class PlacementMetrics {
  readonly seconds: Histogram<'strategy'>;
  readonly fleetRebuilds: Counter;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.seconds = new Histogram({
      name: 'kailash_placement_seconds',
      help: 'Time to filter and rank the fleet for one placement request',
      labelNames: ['strategy'],
      // The target is 1 ms at 100,000 edges, so the buckets resolve the sub-millisecond range.
      buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1],
      registers: [registry],
    });
    this.fleetRebuilds = new Counter({
      name: 'kailash_placement_fleet_rebuilds_total',
      help: 'Times the fleet index was rebuilt whole after boot (edge changes are applied in place)',
      registers: [registry],
    });
  }
}
