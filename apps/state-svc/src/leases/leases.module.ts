import type { OnModuleInit } from '@nestjs/common';
import { Inject, Logger, Module } from '@nestjs/common';
import { LEASE_AGGREGATE, STATE_DOMAIN } from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { ProjectionHost, SERVICE_CONFIG } from '@kailash/service-kit';
import { EdgesModule } from '../edges/edges.module';
import { EdgesService } from '../edges/edges.service';
import type { LeaseConfig } from './lease.config';
import { LEASE_CONFIG, loadLeaseConfig } from './lease.config';
import { leaseExpiryPolicy } from './lease-expiry-policy';
import { LeaseMetrics } from './lease.metrics';
import { LeaseSweeper } from './lease-sweeper';
import { LeasesController } from './leases.controller';
import { leasesProjection } from './leases.projection';
import { LeasesService } from './leases.service';

/** Leases with TTL and fencing tokens; expiry by sweeping, and the edge policy on expiry. */
@Module({
  imports: [EdgesModule],
  controllers: [LeasesController],
  providers: [
    // Read at boot: a bad LEASE_* variable stops the service naming it.
    {
      provide: LEASE_CONFIG,
      inject: [SERVICE_CONFIG],
      useFactory: (config: ServiceConfig) => loadLeaseConfig(config.env),
    },
    LeaseMetrics,
    LeasesService,
    LeaseSweeper,
  ],
})
export class LeasesModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionHost,
    private readonly edges: EdgesService,
    private readonly leases: LeasesService,
    private readonly metrics: LeaseMetrics,
    @Inject(LEASE_CONFIG) private readonly config: LeaseConfig,
  ) {}

  onModuleInit(): void {
    // An edge transition carrying a fencing token goes through only while that grant of `edge:<id>` is live.
    this.edges.fenceTransitionsWith((edgeId, token) => this.leases.checkFence(`edge:${edgeId}`, token));
    const source = { domain: STATE_DOMAIN, aggregateType: LEASE_AGGREGATE };
    this.projections.register({ projection: leasesProjection, ...source });
    const policy = leaseExpiryPolicy({
      edges: this.edges,
      leases: this.leases,
      policy: this.config.LEASE_EDGE_EXPIRY_POLICY,
      metrics: this.metrics,
      logger: new Logger('LeaseExpiryPolicy'),
    });
    this.projections.register({ projection: policy, ...source });
  }
}
