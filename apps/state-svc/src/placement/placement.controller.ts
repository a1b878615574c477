import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { PlacementRequest, PlacementResult, RequestData } from '@kailash/contracts';
import { PlaceWorkload, placementRequestSchema, placementResultSchema } from '@kailash/contracts';
import { NatsRequest, openApiSchema, ReadsProjection, ZodPipe } from '@kailash/service-kit';
import { EDGES_PROJECTION } from '../edges/edges.read-port';
import { PlacementService } from './placement.service';

/**
 * `POST /placement` is a query that changes nothing, sent as POST because the request is a body.
 * It stays behind the API key like every POST: the answer reveals where the fleet is, which zones each
 * edge holds and what it costs, and one request ranks up to the whole fleet, so it is not for anonymous
 * callers. Exempting it would also need a per-route opt-out in the shared guard, which no route needs yet.
 */
@ApiTags('placement')
@Controller('placement')
export class PlacementController {
  constructor(private readonly placement: PlacementService) {}

  @Post()
  @HttpCode(200)
  @ReadsProjection(EDGES_PROJECTION)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Rank edges for a workload: hard filters (lifecycle, latency budget, compliance, capacity, cost), then weighted scores',
  })
  @ApiBody({ schema: openApiSchema(placementRequestSchema) })
  @ApiOkResponse({ schema: openApiSchema(placementResultSchema) })
  place(@Body(new ZodPipe(placementRequestSchema)) body: PlacementRequest): Promise<PlacementResult> {
    return this.placement.place(body);
  }

  /** The same over NATS: `<ns>.state.qry.placement.place`. */
  @NatsRequest(PlaceWorkload)
  @ReadsProjection(EDGES_PROJECTION)
  placeOverNats(@Payload() data: RequestData<typeof PlaceWorkload>): Promise<PlacementResult> {
    return this.placement.place(data);
  }
}
