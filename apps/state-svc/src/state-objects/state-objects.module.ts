import type { OnModuleInit } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { EDGE_AGGREGATE, STATE_DOMAIN, STATE_OBJECT_AGGREGATE } from '@kailash/contracts';
import { ProjectionHost } from '@kailash/service-kit';
import { EdgesModule } from '../edges/edges.module';
import { OwnershipProcessManager } from './ownership.process-manager';
import { StateObjectsController } from './state-objects.controller';
import { StateObjectsMetrics } from './state-objects.metrics';
import { stateObjectsProjection } from './state-objects.projection';
import { StateObjectsService } from './state-objects.service';

/** Durable state objects: operations, their projection, and ownership that follows the edges. */
@Module({
  imports: [EdgesModule],
  controllers: [StateObjectsController],
  providers: [StateObjectsService, StateObjectsMetrics, OwnershipProcessManager],
  exports: [StateObjectsService],
})
export class StateObjectsModule implements OnModuleInit {
  constructor(
    private readonly projections: ProjectionHost,
    private readonly ownership: OwnershipProcessManager,
  ) {}

  onModuleInit(): void {
    this.projections.register({
      projection: stateObjectsProjection,
      domain: STATE_DOMAIN,
      aggregateType: STATE_OBJECT_AGGREGATE,
    });
    this.projections.register({
      projection: this.ownership.projection(),
      domain: STATE_DOMAIN,
      aggregateType: EDGE_AGGREGATE,
    });
  }
}
