import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { RequestData } from '@kailash/contracts';
import {
  KvCompareAndSet,
  KvDelete,
  KvGet,
  KvPut,
  KvScan,
  kvCasBodySchema,
  kvDeleteBodySchema,
  kvEntrySchema,
  kvKeySchema,
  kvPutBodySchema,
  kvScanResultSchema,
  kvStoreSchema,
  kvWriteResultSchema,
} from '@kailash/contracts';
import { NatsRequest, openApiSchema, QueryParameters, ZodPipe } from '@kailash/service-kit';
import type { z } from 'zod';
import { KvService } from './kv.service';
import { SCAN_PARAMETERS, scanQueryPipe } from './scan-query.pipe';

const storePipe = new ZodPipe(kvStoreSchema, 'store');
const keyPipe = new ZodPipe(kvKeySchema, 'key');

/** A stateful workload's keys: REST under /kv/:store, NATS on `<ns>.edge.<edgeId>.kv.*`. */
@ApiTags('kv')
@Controller('kv')
export class KvController {
  constructor(private readonly kv: KvService) {}

  @Get(':store')
  @ApiOperation({ summary: 'Keys of a store in order, with prefix and paging (`after`)' })
  @ApiOkResponse({ schema: openApiSchema(kvScanResultSchema) })
  @QueryParameters(SCAN_PARAMETERS)
  scan(@Param('store', storePipe) store: string, @Query(scanQueryPipe) query: z.output<typeof KvScan.data>) {
    return this.kv.scan(store, query);
  }

  @Get(':store/:key')
  @ApiOperation({ summary: 'A key’s value and version; 421 MOVED names the owner if it moved' })
  @ApiOkResponse({ schema: openApiSchema(kvEntrySchema) })
  get(@Param('store', storePipe) store: string, @Param('key', keyPipe) key: string) {
    return this.kv.get(store, key);
  }

  @Put(':store/:key')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Writes a key (durable when answered); the version counts up' })
  @ApiBody({ schema: openApiSchema(kvPutBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(kvWriteResultSchema) })
  put(
    @Param('store', storePipe) store: string,
    @Param('key', keyPipe) key: string,
    @Body(new ZodPipe(kvPutBodySchema)) body: z.output<typeof kvPutBodySchema>,
  ) {
    return this.kv.put(store, key, body.value);
  }

  @Post(':store/:key/cas')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary:
      'Compare-and-set: 412 PRECONDITION_FAILED (version-mismatch) unless the key is at expectedVersion',
  })
  @ApiBody({ schema: openApiSchema(kvCasBodySchema) })
  cas(
    @Param('store', storePipe) store: string,
    @Param('key', keyPipe) key: string,
    @Body(new ZodPipe(kvCasBodySchema)) body: z.output<typeof kvCasBodySchema>,
  ) {
    return this.kv.compareAndSet(store, key, body.expectedVersion, body.value);
  }

  @Delete(':store/:key')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Deletes a key (optionally only at expectedVersion)' })
  @ApiBody({ schema: openApiSchema(kvDeleteBodySchema), required: false })
  delete(
    @Param('store', storePipe) store: string,
    @Param('key', keyPipe) key: string,
    @Body(new ZodPipe(kvDeleteBodySchema.optional())) body: z.output<typeof kvDeleteBodySchema> | undefined,
  ) {
    return this.kv.delete(store, key, body?.expectedVersion);
  }

  @NatsRequest(KvGet)
  getOverNats(@Payload() data: RequestData<typeof KvGet>) {
    return this.kv.get(data.store, data.key);
  }

  @NatsRequest(KvPut)
  putOverNats(@Payload() data: RequestData<typeof KvPut>) {
    return this.kv.put(data.store, data.key, data.value);
  }

  @NatsRequest(KvCompareAndSet)
  casOverNats(@Payload() data: RequestData<typeof KvCompareAndSet>) {
    return this.kv.compareAndSet(data.store, data.key, data.expectedVersion, data.value);
  }

  @NatsRequest(KvDelete)
  deleteOverNats(@Payload() data: RequestData<typeof KvDelete>) {
    return this.kv.delete(data.store, data.key, data.expectedVersion);
  }

  @NatsRequest(KvScan)
  scanOverNats(@Payload() data: RequestData<typeof KvScan>) {
    const { store, ...options } = data;
    return this.kv.scan(store, options);
  }
}
