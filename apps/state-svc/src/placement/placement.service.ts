import { Injectable } from '@nestjs/common';
import type { PlacementRequest, PlacementResult } from '@kailash/contracts';
import { place } from './engine/place';
import { FleetSnapshotStore } from './fleet-snapshot.store';
import { PlacementMetrics } from './placement.metrics';

/** Placement for REST and NATS alike: the pure engine over this instance's fleet view. */
@Injectable()
export class PlacementService {
  constructor(
    private readonly store: FleetSnapshotStore,
    private readonly metrics: PlacementMetrics,
  ) {}

  async place(request: PlacementRequest): Promise<PlacementResult> {
    const fleet = await this.store.fleet();
    const stopTimer = this.metrics.seconds.startTimer({ strategy: request.strategy });
    try {
      return place(fleet, request);
    } finally {
      stopTimer();
    }
  }
}
