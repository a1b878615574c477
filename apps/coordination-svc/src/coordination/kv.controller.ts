import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import {
  coordDeleteSchema,
  CoordDelete,
  CoordGet,
  coordKeySchema,
  coordPutSchema,
  CoordPut,
  CoordRange,
  coordTxnSchema,
  CoordTxn,
  CoordWatch,
  parseWith,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, QueryParameters, ZodPipe } from '@kailash/service-kit';
import { z } from 'zod';
import { KvService } from './kv.service';

const consistency = z.enum(['linearizable', 'serializable']).default('linearizable');
const getQuery = z.strictObject({ consistency });
const rangeQuery = z.strictObject({
  prefix: z.string().max(1024).default(''),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  consistency,
});
const watchQuery = z.strictObject({
  key: coordKeySchema,
  prefix: z.enum(['true', 'false']).default('false'),
  fromRevision: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  waitMs: z.coerce.number().int().min(0).max(30_000).default(0),
});

/** The KV over REST (`/kv/...`) and NATS (`<ns>.coord.cmd.kv.*`, `<ns>.coord.qry.kv.*`). */
@ApiTags('kv')
@Controller('kv')
export class KvController {
  constructor(private readonly kv: KvService) {}

  @Post('put')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Put a key; answers with the new store revision and the previous value' })
  @ApiBody({ schema: openApiSchema(coordPutSchema) })
  put(@Body(new ZodPipe(coordPutSchema)) body: RequestData<typeof CoordPut>) {
    return this.kv.put(body);
  }

  @Post('delete')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete a key, or every key under a prefix' })
  @ApiBody({ schema: openApiSchema(coordDeleteSchema) })
  delete(@Body(new ZodPipe(coordDeleteSchema)) body: RequestData<typeof CoordDelete>) {
    return this.kv.delete(body);
  }

  @Post('txn')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: "Compare, then apply the success or the failure operations atomically (etcd's Txn)",
  })
  @ApiBody({ schema: openApiSchema(coordTxnSchema) })
  txn(@Body(new ZodPipe(coordTxnSchema)) body: RequestData<typeof CoordTxn>) {
    return this.kv.txn(body);
  }

  @Get()
  @QueryParameters(rangeQuery)
  @ApiOperation({ summary: 'Keys under a prefix, sorted (linearizable unless consistency=serializable)' })
  range(@Query() query: unknown) {
    return this.kv.range(parseWith(rangeQuery, query, 'query'));
  }

  @Get('watch')
  @QueryParameters(watchQuery)
  @ApiOperation({
    summary: 'Changes of a key or prefix from a revision on; long-polls up to waitMs for the first',
  })
  watch(@Query() query: unknown) {
    const parsed = parseWith(watchQuery, query, 'query');
    return this.kv.watch({ ...parsed, prefix: parsed.prefix === 'true' });
  }

  @Get('key/:key')
  @QueryParameters(getQuery)
  @ApiOperation({ summary: 'One key (linearizable unless consistency=serializable); kv is null if absent' })
  get(@Param('key') key: string, @Query() query: unknown) {
    const parsed = parseWith(getQuery, query, 'query');
    return this.kv.get({
      key: parseWith(z.strictObject({ key: coordKeySchema }), { key }, 'path').key,
      ...parsed,
    });
  }

  @NatsRequest(CoordPut)
  putOverNats(@Payload() data: RequestData<typeof CoordPut>) {
    return this.kv.put(data);
  }

  @NatsRequest(CoordDelete)
  deleteOverNats(@Payload() data: RequestData<typeof CoordDelete>) {
    return this.kv.delete(data);
  }

  @NatsRequest(CoordTxn)
  txnOverNats(@Payload() data: RequestData<typeof CoordTxn>) {
    return this.kv.txn(data);
  }

  @NatsRequest(CoordGet)
  getOverNats(@Payload() data: RequestData<typeof CoordGet>) {
    return this.kv.get(data);
  }

  @NatsRequest(CoordRange)
  rangeOverNats(@Payload() data: RequestData<typeof CoordRange>) {
    return this.kv.range(data);
  }

  @NatsRequest(CoordWatch)
  watchOverNats(@Payload() data: RequestData<typeof CoordWatch>) {
    return this.kv.watch(data);
  }
}
