import { Controller, Get, Param, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import { parseWith } from '@kailash/contracts';
import { keySchema, leaseIdSchema, nameSchema } from '@kailash/coordination';
import {
  CoordElectionLeader,
  CoordGet,
  CoordLeaseInfo,
  CoordLockOwner,
  CoordRange,
  CoordWatch,
} from '@kailash/coordination-client';
import { NatsRequest, QueryParameters } from '@kailash/service-kit';
import { z } from 'zod';
import { CoordService } from './coord.service';

const consistency = z.enum(['linearizable', 'serializable']).default('linearizable');
const consistencyQuery = z.strictObject({ consistency });
const rangeQuery = z.strictObject({
  prefix: z.string().max(1024).default(''),
  limit: z.coerce.number().int().min(1).max(10_000).optional(),
  consistency,
});
const watchQuery = z.strictObject({
  key: keySchema.optional(),
  prefix: z.string().max(1024).optional(),
  fromRevision: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  waitMs: z.coerce.number().int().min(0).max(30_000).default(0),
});
const path = <S extends z.ZodType>(name: string, schema: S, value: unknown): z.output<S> =>
  (parseWith(z.strictObject({ [name]: schema }), { [name]: value }, 'path') as Record<string, z.output<S>>)[
    name
  ] as z.output<S>;

/**
 * Reads, served by whichever replica answers: linearizable (after a ReadIndex round) unless
 * `consistency=serializable`. REST has the common shapes; NATS (`<ns>.coord.qry.*`) every range form.
 */
@ApiTags('reads')
@Controller()
export class QueriesController {
  constructor(private readonly coord: CoordService) {}

  @Get('kv/key/:key')
  @QueryParameters(consistencyQuery)
  @ApiOperation({ summary: 'One key; kv is null if it does not exist' })
  get(@Param('key') key: string, @Query() query: unknown) {
    return this.coord.get({
      key: path('key', keySchema, key),
      ...parseWith(consistencyQuery, query, 'query'),
    });
  }

  @Get('kv')
  @QueryParameters(rangeQuery)
  @ApiOperation({ summary: 'Keys under a prefix, in key order' })
  range(@Query() query: unknown) {
    const { prefix, limit, consistency: level } = parseWith(rangeQuery, query, 'query');
    return this.coord.range({ range: { prefix }, ...(limit ? { limit } : {}), consistency: level });
  }

  @Get('kv/watch')
  @QueryParameters(watchQuery)
  @ApiOperation({
    summary: 'Changes of a key or prefix from a revision on; long-polls up to waitMs for the first',
  })
  watch(@Query() query: unknown) {
    const { key, prefix, fromRevision, waitMs } = parseWith(watchQuery, query, 'query');
    const keys = key !== undefined ? { key } : { prefix: prefix ?? '' };
    return this.coord.watch({ range: keys, fromRevision, waitMs });
  }

  @Get('leases/:id')
  @QueryParameters(consistencyQuery)
  @ApiOperation({ summary: 'A lease, its remaining time and its keys; null if it ended' })
  lease(@Param('id') id: string, @Query() query: unknown) {
    return this.coord.leaseInfo({
      id: path('id', z.coerce.number().pipe(leaseIdSchema), id),
      ...parseWith(consistencyQuery, query, 'query'),
    });
  }

  @Get('locks/:name')
  @QueryParameters(consistencyQuery)
  @ApiOperation({ summary: "A lock's owner and fencing token; null if free" })
  lock(@Param('name') name: string, @Query() query: unknown) {
    return this.coord.lockOwner({
      name: path('name', nameSchema, name),
      ...parseWith(consistencyQuery, query, 'query'),
    });
  }

  @Get('elections/:name')
  @QueryParameters(consistencyQuery)
  @ApiOperation({ summary: "An election's leader (value, term, since) and whether its lease is live" })
  election(@Param('name') name: string, @Query() query: unknown) {
    return this.coord.electionLeader({
      name: path('name', nameSchema, name),
      ...parseWith(consistencyQuery, query, 'query'),
    });
  }

  @NatsRequest(CoordGet)
  getOverNats(@Payload() data: RequestData<typeof CoordGet>) {
    return this.coord.get(data);
  }

  @NatsRequest(CoordRange)
  rangeOverNats(@Payload() data: RequestData<typeof CoordRange>) {
    return this.coord.range(data);
  }

  @NatsRequest(CoordWatch)
  watchOverNats(@Payload() data: RequestData<typeof CoordWatch>) {
    return this.coord.watch(data);
  }

  @NatsRequest(CoordLeaseInfo)
  leaseOverNats(@Payload() data: RequestData<typeof CoordLeaseInfo>) {
    return this.coord.leaseInfo(data);
  }

  @NatsRequest(CoordLockOwner)
  lockOverNats(@Payload() data: RequestData<typeof CoordLockOwner>) {
    return this.coord.lockOwner(data);
  }

  @NatsRequest(CoordElectionLeader)
  electionOverNats(@Payload() data: RequestData<typeof CoordElectionLeader>) {
    return this.coord.electionLeader(data);
  }
}
