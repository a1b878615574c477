import type { PipeTransform } from '@nestjs/common';
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import {
  ApiBearerAuth,
  ApiBody,
  ApiConflictResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiTags,
} from '@nestjs/swagger';
import type {
  LeaseAcquireRequest,
  LeaseReleaseRequest,
  LeaseRenewRequest,
  LeaseView,
  RequestData,
} from '@kailash/contracts';
import {
  AcquireLease,
  GetLease,
  ReleaseLease,
  RenewLease,
  leaseAcquireSchema,
  leaseReleaseSchema,
  leaseRenewSchema,
  leaseResourceSchema,
  leaseViewSchema,
  parseWith,
} from '@kailash/contracts';
import { CorrelationId, NatsRequest, openApiSchema, ReadsProjection, ZodPipe } from '@kailash/service-kit';
import { z } from 'zod';
import { leasesProjection } from './leases.projection';
import { LeasesService } from './leases.service';

/** Parses the path parameter as a named field, so a 400 names `resource` rather than `(root)`. */
const resourceParam: PipeTransform<unknown, string> = {
  transform: (resource) =>
    parseWith(z.strictObject({ resource: leaseResourceSchema }), { resource }, 'path').resource,
};
const RESOURCE_DOC = {
  name: 'resource',
  description: "`<name>` or `<kind>:<name>`, e.g. `edge:paris-1` for an edge agent's liveness lease",
};

/** Leases are actions on a resource, so they are POSTs on `/leases/:resource/<action>`. */
@ApiTags('leases')
@Controller('leases')
export class LeasesController {
  constructor(private readonly leases: LeasesService) {}

  @Post(':resource/acquire')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Acquire a lease; each grant carries a fencing token greater than every earlier one on this resource',
  })
  @ApiParam(RESOURCE_DOC)
  @ApiBody({ schema: openApiSchema(leaseAcquireSchema) })
  @ApiOkResponse({ schema: openApiSchema(leaseViewSchema) })
  @ApiConflictResponse({
    description: 'CONFLICT: held by someone else; details name the holder and expiresAt',
  })
  acquire(
    @Param('resource', resourceParam) resource: string,
    @Body(new ZodPipe(leaseAcquireSchema)) body: LeaseAcquireRequest,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<LeaseView> {
    return this.leases.acquire(resource, body, correlationId);
  }

  @Post(':resource/renew')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Move the deadline of a live lease; only its holder with the current fencing token may',
  })
  @ApiParam(RESOURCE_DOC)
  @ApiBody({ schema: openApiSchema(leaseRenewSchema) })
  @ApiOkResponse({ schema: openApiSchema(leaseViewSchema) })
  @ApiConflictResponse({
    description: 'CONFLICT: not held, past its deadline, another holder, or a stale fencing token',
  })
  renew(
    @Param('resource', resourceParam) resource: string,
    @Body(new ZodPipe(leaseRenewSchema)) body: LeaseRenewRequest,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<LeaseView> {
    return this.leases.renew(resource, body, correlationId);
  }

  @Post(':resource/release')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Give a live lease up; only its holder with the current fencing token may' })
  @ApiParam(RESOURCE_DOC)
  @ApiBody({ schema: openApiSchema(leaseReleaseSchema) })
  @ApiOkResponse({ schema: openApiSchema(leaseViewSchema) })
  @ApiConflictResponse({
    description: 'CONFLICT: not held, past its deadline, another holder, or a stale fencing token',
  })
  release(
    @Param('resource', resourceParam) resource: string,
    @Body(new ZodPipe(leaseReleaseSchema)) body: LeaseReleaseRequest,
    @CorrelationId() correlationId: string | undefined,
  ): Promise<LeaseView> {
    return this.leases.release(resource, body, correlationId);
  }

  @Get(':resource')
  @ReadsProjection(leasesProjection.name)
  @ApiOperation({
    summary: 'The lease on a resource as the projection holds it; 404 if it was never granted',
  })
  @ApiParam(RESOURCE_DOC)
  @ApiOkResponse({ schema: openApiSchema(leaseViewSchema) })
  get(@Param('resource', resourceParam) resource: string): Promise<LeaseView> {
    return this.leases.get(resource);
  }

  // The same over NATS: `<ns>.state.cmd.lease.acquire|renew|release`, `<ns>.state.qry.lease.get`.

  @NatsRequest(AcquireLease)
  acquireOverNats(
    @Payload() { resource, ...request }: RequestData<typeof AcquireLease>,
    @CorrelationId() correlationId: string | undefined,
  ) {
    return this.leases.acquire(resource, request, correlationId);
  }

  @NatsRequest(RenewLease)
  renewOverNats(
    @Payload() { resource, ...request }: RequestData<typeof RenewLease>,
    @CorrelationId() correlationId: string | undefined,
  ) {
    return this.leases.renew(resource, request, correlationId);
  }

  @NatsRequest(ReleaseLease)
  releaseOverNats(
    @Payload() { resource, ...request }: RequestData<typeof ReleaseLease>,
    @CorrelationId() correlationId: string | undefined,
  ) {
    return this.leases.release(resource, request, correlationId);
  }

  @NatsRequest(GetLease)
  @ReadsProjection(leasesProjection.name)
  getOverNats(@Payload() { resource }: RequestData<typeof GetLease>): Promise<LeaseView> {
    return this.leases.get(resource);
  }
}
