import { Controller, Get, Param, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EdgeHealth, GetHealthResult, RequestData } from '@kailash/contracts';
import {
  edgeHealthSchema,
  GetHealth,
  getHealthResultSchema,
  healthStatusSchema,
  tokenSchema,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import { z } from 'zod';
import { EdgeHealthService } from './health.service';

const edgeIdPipe = new ZodPipe(tokenSchema, 'edgeId');
const listQuerySchema = z.strictObject({ status: healthStatusSchema.optional() });

/**
 * get_health over REST (`/health/edges`, beside the service's own `/health/live|ready`) and NATS
 * (`<ns>.monitor.qry.health.get`).
 */
@ApiTags('health')
@ApiBearerAuth()
@Controller('health/edges')
export class EdgeHealthController {
  constructor(private readonly health: EdgeHealthService) {}

  @Get()
  @ApiOperation({
    summary: "get_health: every edge's verdict (healthy, degraded, unhealthy, unknown) with reasons",
  })
  @ApiQuery({ name: 'status', required: false, enum: healthStatusSchema.options })
  @ApiOkResponse({ schema: openApiSchema(getHealthResultSchema) })
  list(
    @Query(new ZodPipe(listQuerySchema)) query: z.output<typeof listQuerySchema>,
  ): Promise<GetHealthResult> {
    return this.health.get(query);
  }

  @Get(':edgeId')
  @ApiOperation({ summary: 'get_health of one edge: its verdict, since when, and why' })
  @ApiOkResponse({ schema: openApiSchema(edgeHealthSchema) })
  one(@Param('edgeId', edgeIdPipe) edgeId: string): Promise<EdgeHealth> {
    return this.health.getEdge(edgeId);
  }

  @NatsRequest(GetHealth)
  getOverNats(@Payload() data: RequestData<typeof GetHealth>): Promise<GetHealthResult> {
    return this.health.get(data);
  }
}
