import type { OnModuleInit } from '@nestjs/common';
import { Inject, Injectable } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { EDGE_LIFECYCLE_STATES } from '@kailash/contracts';
import { METRICS_REGISTRY, SQL_DATABASE } from '@kailash/service-kit';
import type { Registry } from 'prom-client';
import { Gauge } from 'prom-client';

/** `kailash_edges{lifecycle}`: read from the projection at scrape time, so it is never stale or doubled. */
@Injectable()
export class EdgesMetrics implements OnModuleInit {
  constructor(
    @Inject(METRICS_REGISTRY) private readonly registry: Registry,
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
  ) {}

  onModuleInit(): void {
    const db = this.db;
    new Gauge({
      name: 'kailash_edges',
      help: 'Registered edges by lifecycle state',
      labelNames: ['lifecycle'],
      registers: [this.registry],
      async collect() {
        const rows = await db.query<{ lifecycle: string; n: string }>(
          'SELECT lifecycle, count(*) AS n FROM edges GROUP BY lifecycle',
        );
        const counts = new Map(rows.map((row) => [row.lifecycle, Number(row.n)]));
        for (const lifecycle of EDGE_LIFECYCLE_STATES) this.set({ lifecycle }, counts.get(lifecycle) ?? 0);
      },
    });
  }
}
