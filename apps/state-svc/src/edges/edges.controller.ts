import { Body, Controller, Get, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { EdgeRegistration, EdgeView } from '@kailash/contracts';
import { edgeRegistrationSchema, edgeViewSchema, tokenSchema } from '@kailash/contracts';
import { openApiSchema, ZodPipe } from '@kailash/service-kit';
import type { Response } from 'express';
import { EdgesService } from './edges.service';

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

  @Get(':edgeId')
  @ApiOperation({ summary: 'One edge as the projection holds it' })
  @ApiOkResponse({ schema: openApiSchema(edgeViewSchema) })
  get(@Param('edgeId', new ZodPipe(tokenSchema, 'edgeId')) edgeId: string): Promise<EdgeView> {
    return this.edges.get(edgeId);
  }
}

function safeCorrelationId(value: string | undefined): string | undefined {
  return value && /^[A-Za-z0-9_-]{1,128}$/.test(value) ? value : undefined;
}
