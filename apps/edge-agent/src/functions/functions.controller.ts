import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData, WorkloadSpec } from '@kailash/contracts';
import {
  CoolWorkload,
  DeployWorkload,
  invocationResultSchema,
  invokeBodySchema,
  InvokeWorkload,
  ListWorkloads,
  prewarmBodySchema,
  PrewarmWorkload,
  workloadIdSchema,
  workloadSpecSchema,
  workloadViewSchema,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import type { z } from 'zod';
import { WorkloadsService } from './workloads.service';

const workloadPipe = new ZodPipe(workloadIdSchema, 'workloadId');

/** Function workloads: invoke, prewarm, cool. REST under /workloads, NATS on `<ns>.edge.<edgeId>.workload.*`. */
@ApiTags('workloads')
@Controller('workloads')
export class FunctionsController {
  constructor(private readonly workloads: WorkloadsService) {}

  @Get()
  @ApiOperation({ summary: 'Every workload of this edge with its warm and busy instances' })
  @ApiOkResponse({ schema: openApiSchema(ListWorkloads.result) })
  list() {
    return this.workloads.list();
  }

  @Post()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Deploys a workload (function or kv), kept across restarts; 409 if the id has another spec',
  })
  @ApiBody({ schema: openApiSchema(workloadSpecSchema) })
  @ApiOkResponse({ schema: openApiSchema(workloadViewSchema) })
  deploy(@Body(new ZodPipe(workloadSpecSchema)) spec: WorkloadSpec) {
    return this.workloads.deploy(spec);
  }

  @Post(':workloadId/invocations')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Invokes a function workload; a cold one pays its init time and memory' })
  @ApiBody({ schema: openApiSchema(invokeBodySchema), required: false })
  @ApiOkResponse({ schema: openApiSchema(invocationResultSchema) })
  invoke(
    @Param('workloadId', workloadPipe) workloadId: string,
    @Body(new ZodPipe(invokeBodySchema.optional())) _body: z.output<typeof invokeBodySchema> | undefined,
  ) {
    return this.workloads.invoke(workloadId);
  }

  @Post(':workloadId/prewarm')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Starts instances until `instances` are warm; they stay warm `ttlMs` idle' })
  @ApiBody({ schema: openApiSchema(prewarmBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(workloadViewSchema) })
  prewarm(
    @Param('workloadId', workloadPipe) workloadId: string,
    @Body(new ZodPipe(prewarmBodySchema)) body: z.output<typeof prewarmBodySchema>,
  ) {
    return this.workloads.prewarm(workloadId, body.instances, body.ttlMs);
  }

  @Post(':workloadId/cool')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Drops the idle warm instances of a workload now' })
  @ApiOkResponse({ schema: openApiSchema(workloadViewSchema) })
  cool(@Param('workloadId', workloadPipe) workloadId: string) {
    return this.workloads.cool(workloadId);
  }

  @NatsRequest(ListWorkloads)
  listOverNats() {
    return this.workloads.list();
  }

  @NatsRequest(DeployWorkload)
  deployOverNats(@Payload() data: RequestData<typeof DeployWorkload>) {
    return this.workloads.deploy(data.spec);
  }

  @NatsRequest(InvokeWorkload)
  invokeOverNats(@Payload() data: RequestData<typeof InvokeWorkload>) {
    return this.workloads.invoke(data.workloadId);
  }

  @NatsRequest(PrewarmWorkload)
  prewarmOverNats(@Payload() data: RequestData<typeof PrewarmWorkload>) {
    return this.workloads.prewarm(data.workloadId, data.instances, data.ttlMs);
  }

  @NatsRequest(CoolWorkload)
  coolOverNats(@Payload() data: RequestData<typeof CoolWorkload>) {
    return this.workloads.cool(data.workloadId);
  }
}
