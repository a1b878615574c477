import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { EdgeRegistration, EdgeUpdate, EdgeView, RequestData } from '@kailash/contracts';
import {
  DeregisterEdge,
  edgeDeregistrationSchema,
  edgeRegistrationSchema,
  edgeTransitionSchema,
  edgeUpdateSchema,
  edgeViewSchema,
  GetEdge,
  GetEdgeHistory,
  ListEdges,
  RegisterEdge,
  tokenSchema,
  TransitionEdge,
  UpdateEdge,
} from '@kailash/contracts';
import {
  CorrelationId,
  NatsRequest,
  openApiSchema,
  Principal,
  QueryParameters,
  ReadsProjection,
  ZodPipe,
} from '@kailash/service-kit';
import type { Response } from 'express';
import type { z } from 'zod';
import { DISCOVERY_PARAMETERS, discoveryQueryPipe } from './discovery-query.pipe';
import { EDGES_PROJECTION } from './edges.read-port';
import { EdgesService } from './edges.service';

const edgeIdPipe = new ZodPipe(tokenSchema, 'edgeId');

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
    @CorrelationId() correlationId: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<EdgeView> {
    const edge = await this.edges.register(body, correlationId);
    response.setHeader('Location', `/edges/${edge.edgeId}`);
    return edge;
  }

  @Get()
  @ReadsProjection(EDGES_PROJECTION)
  @ApiOperation({
    summary: 'Discover edges by region, zone, capability, tag, lifecycle, or nearest to a point',
  })
  @ApiQuery({ name: 'near', required: false, description: 'lat,lon — orders by great-circle distance' })
  @ApiOkResponse({ schema: openApiSchema(ListEdges.result) })
  @QueryParameters(DISCOVERY_PARAMETERS)
  discover(@Query(discoveryQueryPipe) query: z.output<typeof ListEdges.data>) {
    return this.edges.discover(query);
  }

  @Get(':edgeId')
  @ReadsProjection(EDGES_PROJECTION)
  @ApiOperation({ summary: 'One edge as the projection holds it' })
  @ApiOkResponse({ schema: openApiSchema(edgeViewSchema) })
  get(@Param('edgeId', edgeIdPipe) edgeId: string): Promise<EdgeView> {
    return this.edges.get(edgeId);
  }

  @Get(':edgeId/history')
  @ReadsProjection(EDGES_PROJECTION)
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
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.update(edgeId, changes, correlationId);
  }

  @Post(':edgeId/transitions')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Move an edge along its lifecycle; 409 INVALID_TRANSITION names the allowed targets',
  })
  @ApiBody({ schema: openApiSchema(edgeTransitionSchema) })
  transition(
    @Param('edgeId', edgeIdPipe) edgeId: string,
    @Body(new ZodPipe(edgeTransitionSchema)) body: z.output<typeof edgeTransitionSchema>,
    @Principal() actor: string,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.transition(edgeId, body.to, body.reason, actor, correlationId, body.fencingToken);
  }

  @Post(':edgeId/deregistration')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Deregister an edge: it is terminated, its history kept' })
  @ApiBody({ schema: openApiSchema(edgeDeregistrationSchema) })
  deregister(
    @Param('edgeId', edgeIdPipe) edgeId: string,
    @Body(new ZodPipe(edgeDeregistrationSchema)) body: z.output<typeof edgeDeregistrationSchema>,
    @Principal() actor: string,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.deregister(edgeId, body.reason, actor, correlationId);
  }

  // The same use cases over NATS: `<ns>.state.cmd.edge.*` and `<ns>.state.qry.edge.*`.

  @NatsRequest(RegisterEdge)
  registerOverNats(
    @Payload() data: RequestData<typeof RegisterEdge>,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.register(data, correlationId);
  }

  @NatsRequest(UpdateEdge)
  updateOverNats(
    @Payload() data: RequestData<typeof UpdateEdge>,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.update(data.edgeId, data.changes, correlationId);
  }

  @NatsRequest(TransitionEdge)
  transitionOverNats(
    @Payload() data: RequestData<typeof TransitionEdge>,
    @Principal() actor: string,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.transition(data.edgeId, data.to, data.reason, actor, correlationId, data.fencingToken);
  }

  @NatsRequest(DeregisterEdge)
  deregisterOverNats(
    @Payload() data: RequestData<typeof DeregisterEdge>,
    @Principal() actor: string,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<EdgeView> {
    return this.edges.deregister(data.edgeId, data.reason, actor, correlationId);
  }

  @NatsRequest(GetEdge)
  @ReadsProjection(EDGES_PROJECTION)
  getOverNats(@Payload() data: RequestData<typeof GetEdge>): Promise<EdgeView> {
    return this.edges.get(data.edgeId);
  }

  @NatsRequest(GetEdgeHistory)
  @ReadsProjection(EDGES_PROJECTION)
  historyOverNats(@Payload() data: RequestData<typeof GetEdgeHistory>) {
    return this.edges.history(data.edgeId);
  }

  @NatsRequest(ListEdges)
  @ReadsProjection(EDGES_PROJECTION)
  discoverOverNats(@Payload() data: RequestData<typeof ListEdges>) {
    return this.edges.discover(data);
  }
}
