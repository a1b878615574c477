import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import {
  CoordAddLearner,
  CoordClusterStatus,
  coordMemberSchema,
  CoordPromote,
  CoordRemoveMember,
  CoordTransferLeader,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import { Coordinator } from '../raft/coordinator';

type Member = RequestData<typeof CoordAddLearner>;

/**
 * The Raft group: its state (`GET /cluster`) and membership changes, one at a time: add a learner,
 * let it catch up (its lag shows in `GET /cluster`), promote it; remove a member; hand leadership over.
 */
@ApiTags('cluster')
@Controller('cluster')
export class ClusterController {
  constructor(private readonly coordinator: Coordinator) {}

  @Get()
  @ApiOperation({
    summary: 'Members, roles, leader, term, commit/applied index, each member match index and lag',
  })
  status() {
    return this.coordinator.cluster();
  }

  @Post('learners')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Add a node as a learner (receives the log, does not vote)' })
  @ApiBody({ schema: openApiSchema(coordMemberSchema) })
  addLearner(@Body(new ZodPipe(coordMemberSchema)) { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'add-learner', nodeId });
  }

  @Post('promote')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Promote a caught-up learner to voter (412 while it lags)' })
  @ApiBody({ schema: openApiSchema(coordMemberSchema) })
  promote(@Body(new ZodPipe(coordMemberSchema)) { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'add-voter', nodeId });
  }

  @Post('remove')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Remove a member (voter or learner)' })
  @ApiBody({ schema: openApiSchema(coordMemberSchema) })
  remove(@Body(new ZodPipe(coordMemberSchema)) { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'remove-node', nodeId });
  }

  @Post('transfer-leader')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Hand leadership to a voter that is up to date' })
  @ApiBody({ schema: openApiSchema(coordMemberSchema) })
  transfer(@Body(new ZodPipe(coordMemberSchema)) { nodeId }: Member) {
    return this.coordinator.transferLeadership(nodeId);
  }

  @NatsRequest(CoordClusterStatus)
  statusOverNats() {
    return this.coordinator.cluster();
  }

  @NatsRequest(CoordAddLearner)
  addLearnerOverNats(@Payload() { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'add-learner', nodeId });
  }

  @NatsRequest(CoordPromote)
  promoteOverNats(@Payload() { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'add-voter', nodeId });
  }

  @NatsRequest(CoordRemoveMember)
  removeOverNats(@Payload() { nodeId }: Member) {
    return this.coordinator.changeMembership({ type: 'remove-node', nodeId });
  }

  @NatsRequest(CoordTransferLeader)
  transferOverNats(@Payload() { nodeId }: Member) {
    return this.coordinator.transferLeadership(nodeId);
  }
}
