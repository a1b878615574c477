import type { OnApplicationShutdown } from '@nestjs/common';
import { Body, Controller, Delete, Get, HttpCode, Injectable, Logger, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { CpuLoadView, RequestData } from '@kailash/contracts';
import {
  CancelCpuLoad,
  cpuLoadBodySchema,
  cpuLoadViewSchema,
  GetCpuLoad,
  StartCpuLoad,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, Principal, ZodPipe } from '@kailash/service-kit';
import type { z } from 'zod';
import { CpuBurner } from './cpu-burner';

/** The agent's one CPU load, ended when the agent shuts down. */
@Injectable()
export class AdminLoad implements OnApplicationShutdown {
  private readonly logger = new Logger('AdminLoad');
  private readonly burner = new CpuBurner();

  start(cpuPercent: number, durationMs: number, actor: string): CpuLoadView {
    const view = this.burner.start(cpuPercent, durationMs, actor);
    this.logger.log({ msg: 'CPU load started', cpuPercent, durationMs, actor });
    return view;
  }

  cancel(actor: string): CpuLoadView {
    const view = this.burner.cancel();
    this.logger.log({ msg: 'CPU load cancelled', actor, burnedMs: Math.round(view.burnedMs) });
    return view;
  }

  view(): CpuLoadView {
    return this.burner.view();
  }

  onApplicationShutdown(): void {
    this.burner.cancel();
  }
}

/** CPU load for demos and the monitor: REST under /admin/load, NATS on `<ns>.edge.<edgeId>.admin.load*`. */
@ApiTags('admin')
@Controller('admin/load')
export class AdminLoadController {
  constructor(private readonly load: AdminLoad) {}

  @Post()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Burns cpuPercent of one core in the agent process for durationMs (one load at a time: 409 while one runs)',
  })
  @ApiBody({ schema: openApiSchema(cpuLoadBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(cpuLoadViewSchema) })
  start(
    @Body(new ZodPipe(cpuLoadBodySchema)) body: z.output<typeof cpuLoadBodySchema>,
    @Principal() actor: string,
  ) {
    return this.load.start(body.cpuPercent, body.durationMs, actor);
  }

  @Delete()
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Ends the running CPU load now (a no-op when none runs)' })
  @ApiOkResponse({ schema: openApiSchema(cpuLoadViewSchema) })
  cancel(@Principal() actor: string) {
    return this.load.cancel(actor);
  }

  @Get()
  @ApiOperation({ summary: 'The running CPU load, or the last one' })
  @ApiOkResponse({ schema: openApiSchema(cpuLoadViewSchema) })
  view() {
    return this.load.view();
  }

  @NatsRequest(StartCpuLoad)
  startOverNats(@Payload() data: RequestData<typeof StartCpuLoad>, @Principal() actor: string) {
    return this.load.start(data.cpuPercent, data.durationMs, actor);
  }

  @NatsRequest(CancelCpuLoad)
  cancelOverNats(@Principal() actor: string) {
    return this.load.cancel(actor);
  }

  @NatsRequest(GetCpuLoad)
  viewOverNats() {
    return this.load.view();
  }
}
