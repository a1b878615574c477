import { Module } from '@nestjs/common';
import { EdgesModule } from '../edges/edges.module';
import { FleetSnapshotStore } from './fleet-snapshot.store';
import { PlacementController } from './placement.controller';
import { PlacementMetrics } from './placement.metrics';
import { PlacementService } from './placement.service';

/** Ranks edges for a workload over an in-memory view of the edges projection. */
@Module({
  imports: [EdgesModule],
  controllers: [PlacementController],
  providers: [FleetSnapshotStore, PlacementMetrics, PlacementService],
})
export class PlacementModule {}
