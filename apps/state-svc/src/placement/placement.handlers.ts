import type { OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import { RequestServer } from '@kailash/backbone';
import { PlaceWorkload } from '@kailash/contracts';
import { PlacementService } from './placement.service';

/** Placement over NATS request/reply: `<ns>.state.qry.placement.place`. */
@Injectable()
export class PlacementHandlers implements OnModuleInit {
  constructor(
    private readonly requests: RequestServer,
    private readonly placement: PlacementService,
  ) {}

  onModuleInit(): void {
    this.requests.handle(PlaceWorkload, (data) => this.placement.place(data));
  }
}
