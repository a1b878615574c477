import { Inject, Injectable } from '@nestjs/common';
import type { HealthStatus } from '@kailash/contracts';
import { HEALTH_STATUSES } from '@kailash/contracts';
import { METRICS_REGISTRY } from '@kailash/service-kit';
import type { Registry } from 'prom-client';
import { Counter, Gauge } from 'prom-client';

/**
 * `kailash_monitor_edges{status}`: edges per health status after the last round this instance judged.
 * `kailash_monitor_health_changes_total{status}`: status changes made, by the status entered.
 */
@Injectable()
export class HealthMetrics {
  private readonly edges: Gauge<'status'>;
  private readonly changes: Counter<'status'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.edges = new Gauge({
      name: 'kailash_monitor_edges',
      help: 'Edges per health status after the last health round this instance judged',
      labelNames: ['status'],
      registers: [registry],
    });
    this.changes = new Counter({
      name: 'kailash_monitor_health_changes_total',
      help: 'Edge health status changes, by the status entered',
      labelNames: ['status'],
      registers: [registry],
    });
  }

  observeRound(statuses: readonly HealthStatus[], entered: readonly HealthStatus[]): void {
    for (const status of HEALTH_STATUSES)
      this.edges.set({ status }, statuses.filter((s) => s === status).length);
    for (const status of entered) this.changes.inc({ status });
  }
}
