import type { OnModuleInit } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { ProjectionHost } from '@kailash/service-kit';
import { STATE_DOMAIN, EDGE_AGGREGATE } from '@kailash/contracts';
import { EdgesController } from './edges.controller';
import { EdgesNearbyIndex } from './edges-nearby.port';
import { EdgesMetrics } from './edges.metrics';
import { edgesProjection } from './edges.projection';
import { EdgesReadPort } from './edges.read-port';
import { EdgesService } from './edges.service';

@Module({
  controllers: [EdgesController],
  providers: [EdgesService, EdgesMetrics, EdgesReadPort, EdgesNearbyIndex],
  exports: [EdgesService, EdgesReadPort, EdgesNearbyIndex],
})
export class EdgesModule implements OnModuleInit {
  constructor(private readonly projections: ProjectionHost) {}

  onModuleInit(): void {
    this.projections.register({
      projection: edgesProjection,
      domain: STATE_DOMAIN,
      aggregateType: EDGE_AGGREGATE,
    });
  }
}
