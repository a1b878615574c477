import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import {
  CoordPut,
  CoordDelete,
  CoordTxn,
  CoordCas,
  CoordCompact,
  CoordLeaseGrant,
  CoordLeaseKeepAlive,
  CoordLeaseRevoke,
  CoordLockAcquire,
  CoordLockRelease,
  CoordCampaign,
  CoordProclaim,
  CoordResign,
  CoordSessionOpen,
  CoordSessionClose,
} from '@kailash/coordination-client';
import { NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import { CoordService } from './coord.service';

/**
 * Every command a client may propose, over REST (`POST /<group>/<action>`) and NATS
 * (`<ns>.coord.cmd.<op>`), with the same body: the command's fields and an optional session stamp.
 */
@ApiTags('commands')
@Controller()
export class CommandsController {
  constructor(private readonly coord: CoordService) {}

  @Post('kv/put')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Put a key (optionally on a lease, fenced by a lease)' })
  @ApiBody({ schema: openApiSchema(CoordPut.data) })
  put(@Body(new ZodPipe(CoordPut.data)) body: RequestData<typeof CoordPut>) {
    return this.coord.propose(CoordPut, body);
  }

  @NatsRequest(CoordPut)
  putOverNats(@Payload() data: RequestData<typeof CoordPut>) {
    return this.coord.propose(CoordPut, data);
  }

  @Post('kv/delete')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a key, a prefix or a key range' })
  @ApiBody({ schema: openApiSchema(CoordDelete.data) })
  delete(@Body(new ZodPipe(CoordDelete.data)) body: RequestData<typeof CoordDelete>) {
    return this.coord.propose(CoordDelete, body);
  }

  @NatsRequest(CoordDelete)
  deleteOverNats(@Payload() data: RequestData<typeof CoordDelete>) {
    return this.coord.propose(CoordDelete, data);
  }

  @Post('kv/txn')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Compare, then the success or the failure operations, atomically (etcd's CoordTxn)",
  })
  @ApiBody({ schema: openApiSchema(CoordTxn.data) })
  txn(@Body(new ZodPipe(CoordTxn.data)) body: RequestData<typeof CoordTxn>) {
    return this.coord.propose(CoordTxn, body);
  }

  @NatsRequest(CoordTxn)
  txnOverNats(@Payload() data: RequestData<typeof CoordTxn>) {
    return this.coord.propose(CoordTxn, data);
  }

  @Post('kv/cas')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Compare-and-set one key on its mod revision and/or value' })
  @ApiBody({ schema: openApiSchema(CoordCas.data) })
  cas(@Body(new ZodPipe(CoordCas.data)) body: RequestData<typeof CoordCas>) {
    return this.coord.propose(CoordCas, body);
  }

  @NatsRequest(CoordCas)
  casOverNats(@Payload() data: RequestData<typeof CoordCas>) {
    return this.coord.propose(CoordCas, data);
  }

  @Post('kv/compact')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Forget the change history before a revision' })
  @ApiBody({ schema: openApiSchema(CoordCompact.data) })
  compact(@Body(new ZodPipe(CoordCompact.data)) body: RequestData<typeof CoordCompact>) {
    return this.coord.propose(CoordCompact, body);
  }

  @NatsRequest(CoordCompact)
  compactOverNats(@Payload() data: RequestData<typeof CoordCompact>) {
    return this.coord.propose(CoordCompact, data);
  }

  @Post('leases/grant')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Grant a lease with a TTL; its id is its fencing token' })
  @ApiBody({ schema: openApiSchema(CoordLeaseGrant.data) })
  leaseGrant(@Body(new ZodPipe(CoordLeaseGrant.data)) body: RequestData<typeof CoordLeaseGrant>) {
    return this.coord.propose(CoordLeaseGrant, body);
  }

  @NatsRequest(CoordLeaseGrant)
  leaseGrantOverNats(@Payload() data: RequestData<typeof CoordLeaseGrant>) {
    return this.coord.propose(CoordLeaseGrant, data);
  }

  @Post('leases/keepalive')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Renew a live lease for another TTL' })
  @ApiBody({ schema: openApiSchema(CoordLeaseKeepAlive.data) })
  leaseKeepAlive(@Body(new ZodPipe(CoordLeaseKeepAlive.data)) body: RequestData<typeof CoordLeaseKeepAlive>) {
    return this.coord.propose(CoordLeaseKeepAlive, body);
  }

  @NatsRequest(CoordLeaseKeepAlive)
  leaseKeepAliveOverNats(@Payload() data: RequestData<typeof CoordLeaseKeepAlive>) {
    return this.coord.propose(CoordLeaseKeepAlive, data);
  }

  @Post('leases/revoke')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'End a lease now; keys attached to it are deleted' })
  @ApiBody({ schema: openApiSchema(CoordLeaseRevoke.data) })
  leaseRevoke(@Body(new ZodPipe(CoordLeaseRevoke.data)) body: RequestData<typeof CoordLeaseRevoke>) {
    return this.coord.propose(CoordLeaseRevoke, body);
  }

  @NatsRequest(CoordLeaseRevoke)
  leaseRevokeOverNats(@Payload() data: RequestData<typeof CoordLeaseRevoke>) {
    return this.coord.propose(CoordLeaseRevoke, data);
  }

  @Post('locks/acquire')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Queue for a lock with a lease; the lowest waiter owns it' })
  @ApiBody({ schema: openApiSchema(CoordLockAcquire.data) })
  lockAcquire(@Body(new ZodPipe(CoordLockAcquire.data)) body: RequestData<typeof CoordLockAcquire>) {
    return this.coord.propose(CoordLockAcquire, body);
  }

  @NatsRequest(CoordLockAcquire)
  lockAcquireOverNats(@Payload() data: RequestData<typeof CoordLockAcquire>) {
    return this.coord.propose(CoordLockAcquire, data);
  }

  @Post('locks/release')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Leave a lock (owner or waiter)' })
  @ApiBody({ schema: openApiSchema(CoordLockRelease.data) })
  lockRelease(@Body(new ZodPipe(CoordLockRelease.data)) body: RequestData<typeof CoordLockRelease>) {
    return this.coord.propose(CoordLockRelease, body);
  }

  @NatsRequest(CoordLockRelease)
  lockReleaseOverNats(@Payload() data: RequestData<typeof CoordLockRelease>) {
    return this.coord.propose(CoordLockRelease, data);
  }

  @Post('elections/campaign')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Stand in an election with a lease and a value' })
  @ApiBody({ schema: openApiSchema(CoordCampaign.data) })
  campaign(@Body(new ZodPipe(CoordCampaign.data)) body: RequestData<typeof CoordCampaign>) {
    return this.coord.propose(CoordCampaign, body);
  }

  @NatsRequest(CoordCampaign)
  campaignOverNats(@Payload() data: RequestData<typeof CoordCampaign>) {
    return this.coord.propose(CoordCampaign, data);
  }

  @Post('elections/proclaim')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'The leader changes its value' })
  @ApiBody({ schema: openApiSchema(CoordProclaim.data) })
  proclaim(@Body(new ZodPipe(CoordProclaim.data)) body: RequestData<typeof CoordProclaim>) {
    return this.coord.propose(CoordProclaim, body);
  }

  @NatsRequest(CoordProclaim)
  proclaimOverNats(@Payload() data: RequestData<typeof CoordProclaim>) {
    return this.coord.propose(CoordProclaim, data);
  }

  @Post('elections/resign')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Leave an election' })
  @ApiBody({ schema: openApiSchema(CoordResign.data) })
  resign(@Body(new ZodPipe(CoordResign.data)) body: RequestData<typeof CoordResign>) {
    return this.coord.propose(CoordResign, body);
  }

  @NatsRequest(CoordResign)
  resignOverNats(@Payload() data: RequestData<typeof CoordResign>) {
    return this.coord.propose(CoordResign, data);
  }

  @Post('sessions/open')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Open a client session (exactly-once proposals), a lease of its own' })
  @ApiBody({ schema: openApiSchema(CoordSessionOpen.data) })
  sessionOpen(@Body(new ZodPipe(CoordSessionOpen.data)) body: RequestData<typeof CoordSessionOpen>) {
    return this.coord.propose(CoordSessionOpen, body);
  }

  @NatsRequest(CoordSessionOpen)
  sessionOpenOverNats(@Payload() data: RequestData<typeof CoordSessionOpen>) {
    return this.coord.propose(CoordSessionOpen, data);
  }

  @Post('sessions/close')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Close a client session' })
  @ApiBody({ schema: openApiSchema(CoordSessionClose.data) })
  sessionClose(@Body(new ZodPipe(CoordSessionClose.data)) body: RequestData<typeof CoordSessionClose>) {
    return this.coord.propose(CoordSessionClose, body);
  }

  @NatsRequest(CoordSessionClose)
  sessionCloseOverNats(@Payload() data: RequestData<typeof CoordSessionClose>) {
    return this.coord.propose(CoordSessionClose, data);
  }
}
