import { Body, Controller, Get, Headers, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EdgeRegistration, EdgeUpdate, EdgeView } from '@kailash/contracts';
import {
  edgeDeregistrationSchema,
  edgeRegistrationSchema,
  edgeTransitionSchema,
  edgeUpdateSchema,
  edgeViewSchema,
  GetEdgeHistory,
  ListEdges,
  tokenSchema,
} from '@kailash/contracts';
import { openApiSchema, ReadsProjection, ZodPipe } from '@kailash/service-kit';
import type { Response } from 'express';
import type { z } from 'zod';
import { discoveryQueryPipe } from './discovery-query.pipe';
import { edgesProjection } from './edges.projection';
import { EdgesService } from './edges.service';

const edgeIdPipe = new ZodPipe(tokenSchema, 'edgeId');
const REST_ACTOR = 'rest-api';

@ApiTags('edges')
@Controller('edges')
export class EdgesController {
  constructor(private readonly edges: EdgesService) {}

  @Post()
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Register an edge; it starts in the initialized lifecycle state' })
  @ApiBody({ schema: openApiSchema(edgeRegistrationSchema) })
  @ApiOkResponse({ schema: openApiSchema(edgeViewSchema) })
  async register(
    @Body(new ZodPipe(edgeRegistrationSchema)) body: EdgeRegistration,
    @Headers('x-correlation-id') correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EdgeView> {
    const edge = await this.edges.register(body, safeCorrelationId(correlationId));
    response.setHeader('Location', `/edges/${edge.edgeId}`);
    return edge;
  }

  @Get()
  @ReadsProjection(edgesProjection.name)
  @ApiOperation({ summary: 'Discover edges by region, zone, capability, tag, lifecycle, or nearest to a point' })
  @ApiQuery({ name: 'near', required: false, description: 'lat,lon — orders by great-circle distance' })
  @ApiOkResponse({ schema: openApiSchema(ListEdges.result) })
  discover(@Query(discoveryQueryPipe) query: z.output<typeof ListEdges.data>) {
    return this.edges.discover(query);
  }

  @Get(':edgeId')
  @ReadsProjection(edgesProjection.name)
  @ApiOperation({ summary: 'One edge as the projection holds it' })
  @ApiOkResponse({ schema: openApiSchema(edgeViewSchema) })
  get(@Param('edgeId', edgeIdPipe) edgeId: string): Promise<EdgeView> {
    return this.edges.get(edgeId);
  }

  @Get(':edgeId/history')
  @ReadsProjection(edgesProjection.name)
  @ApiOperation({ summary: 'Every lifecycle transition of an edge, with reason and actor' })
  @ApiOkResponse({ schema: openApiSchema(GetEdgeHistory.result) })
  history(@Param('edgeId', edgeIdPipe) edgeId: string) {
    return this.edges.history(edgeId);
  }

  @Patch(':edgeId')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Change an edge’s description (not its lifecycle)' })
  @ApiBody({ schema: openApiSchema(edgeUpdateSchema) })
  update(
    @Param('edgeId', edgeIdPipe) edgeId: string,
    @Body(new ZodPipe(edgeUpdateSchema)) changes: EdgeUpdate,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.update(edgeId, changes, safeCorrelationId(correlationId));
  }

  @Post(':edgeId/transitions')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Move an edge along its lifecycle; 409 INVALID_TRANSITION names the allowed targets' })
  @ApiBody({ schema: openApiSchema(edgeTransitionSchema) })
  transition(
    @Param('edgeId', edgeIdPipe) edgeId: string,
    @Body(new ZodPipe(edgeTransitionSchema)) body: z.output<typeof edgeTransitionSchema>,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.transition(edgeId, body.to, body.reason, body.actor ?? REST_ACTOR, safeCorrelationId(correlationId));
  }

  @Post(':edgeId/deregistration')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Deregister an edge: it is terminated, its history kept' })
  @ApiBody({ schema: openApiSchema(edgeDeregistrationSchema) })
  deregister(
    @Param('edgeId', edgeIdPipe) edgeId: string,
    @Body(new ZodPipe(edgeDeregistrationSchema)) body: z.output<typeof edgeDeregistrationSchema>,
    @Headers('x-correlation-id') correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.deregister(edgeId, body.reason, body.actor ?? REST_ACTOR, safeCorrelationId(correlationId));
  }
}

function safeCorrelationId(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
}
