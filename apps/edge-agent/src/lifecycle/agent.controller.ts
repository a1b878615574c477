import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { agentStatusSchema, GetAgentStatus } from '@kailash/contracts';
import { NatsRequest, openApiSchema } from '@kailash/service-kit';
import type { z } from 'zod';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { AgentState } from '../work/agent-state';

@ApiTags('agent')
@Controller('agent')
export class AgentController {
  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    private readonly state: AgentState,
  ) {}

  @Get()
  @ApiOperation({ summary: 'This agent: its edge, lifecycle, lease and fencing token, work in flight' })
  @ApiOkResponse({ schema: openApiSchema(agentStatusSchema) })
  status(): z.output<typeof agentStatusSchema> {
    const { state } = this;
    return {
      edgeId: this.config.edgeId,
      instanceId: this.config.instanceId,
      lifecycle: state.lifecycle,
      registered: state.registered,
      leaseHeld: state.leaseLive(),
      fencingToken: state.fencingToken(),
      draining: state.draining,
      inFlight: state.inFlightCount(),
    };
  }

  @NatsRequest(GetAgentStatus)
  statusOverNats() {
    return this.status();
  }
}
