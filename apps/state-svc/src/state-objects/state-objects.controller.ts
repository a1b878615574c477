import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Put } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type {
  RequestData,
  StateAppendBody,
  StateAppendResult,
  StateDeleteBody,
  StateDeleteResult,
  StateIncrementBody,
  StateIncrementResult,
  StateKeyView,
  StateLockBody,
  StateLockResult,
  StateObjectView,
  StateSetBody,
  StateSetResult,
  StateUnlockBody,
  StateUnlockResult,
  StateUpdateBody,
  StateUpdateResult,
} from '@kailash/contracts';
import {
  AppendStateValue,
  DeleteStateKey,
  GetStateObject,
  IncrementStateValue,
  LockStateObject,
  SetStateValue,
  UnlockStateObject,
  UpdateStateValues,
  stateAppendBodySchema,
  stateAppendResultSchema,
  stateDeleteBodySchema,
  stateDeleteResultSchema,
  stateIncrementBodySchema,
  stateIncrementResultSchema,
  stateKeyViewSchema,
  stateLockBodySchema,
  stateLockNameSchema,
  stateLockResultSchema,
  stateObjectIdSchema,
  stateObjectKeySchema,
  stateObjectViewSchema,
  stateSetBodySchema,
  stateSetResultSchema,
  stateUnlockBodySchema,
  stateUnlockResultSchema,
  stateUpdateBodySchema,
  stateUpdateResultSchema,
} from '@kailash/contracts';
import { CorrelationId, NatsRequest, openApiSchema, ZodPipe } from '@kailash/service-kit';
import { z } from 'zod';
import { StateObjectsService } from './state-objects.service';

// Route params are validated as one object, so a 400 names the param (`objectId`, `key`, `lock`).
const objectParams = z.strictObject({ objectId: stateObjectIdSchema });
const keyParams = objectParams.extend({ key: stateObjectKeySchema });
const lockParams = objectParams.extend({ lock: stateLockNameSchema });
type ObjectParams = z.output<typeof objectParams>;
type KeyParams = z.output<typeof keyParams>;
type LockParams = z.output<typeof lockParams>;
const params = (schema: z.ZodType) => Param(new ZodPipe(schema, 'path'));
const correlation = CorrelationId;

/**
 * `/state-objects/:objectId` — the object; `/keys/:key` — one value (PUT set, DELETE, POST
 * increment / append); PATCH the object — compare-and-set of several keys; `/locks/:lock` — POST
 * to take a lock, POST `/release` to give it back.
 */
@ApiTags('state-objects')
@Controller('state-objects/:objectId')
export class StateObjectsController {
  constructor(private readonly objects: StateObjectsService) {}

  @Get()
  @ApiOperation({ summary: 'The whole object: body, owner edge, version, metadata and held locks' })
  @ApiOkResponse({ schema: openApiSchema(stateObjectViewSchema) })
  getObject(@params(objectParams) { objectId: id }: ObjectParams): Promise<StateObjectView> {
    return this.objects.get(id) as Promise<StateObjectView>;
  }

  @Get('keys/:key')
  @ApiOperation({ summary: 'One key: its value and whether it exists' })
  @ApiOkResponse({ schema: openApiSchema(stateKeyViewSchema) })
  getKey(@params(keyParams) { objectId: id, key: k }: KeyParams): Promise<StateKeyView> {
    return this.objects.get(id, k) as Promise<StateKeyView>;
  }

  @Put('keys/:key')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Set one key (creates the object on its first write)' })
  @ApiBody({ schema: openApiSchema(stateSetBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateSetResultSchema) })
  set(
    @params(keyParams) { objectId: id, key: k }: KeyParams,
    @Body(new ZodPipe(stateSetBodySchema)) body: StateSetBody,
    @correlation() c?: string,
  ): Promise<StateSetResult> {
    return this.objects.set(id, k, body, c);
  }

  @Patch()
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Compare-and-set: write several keys if the object is still at expectedVersion (412 otherwise)',
  })
  @ApiBody({ schema: openApiSchema(stateUpdateBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateUpdateResultSchema) })
  update(
    @params(objectParams) { objectId: id }: ObjectParams,
    @Body(new ZodPipe(stateUpdateBodySchema)) body: StateUpdateBody,
    @correlation() c?: string,
  ): Promise<StateUpdateResult> {
    return this.objects.update(id, body, c);
  }

  @Delete('keys/:key')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Delete one key (404 if absent); an optional body carries a fence' })
  @ApiBody({ schema: openApiSchema(stateDeleteBodySchema), required: false })
  @ApiOkResponse({ schema: openApiSchema(stateDeleteResultSchema) })
  delete(
    @params(keyParams) { objectId: id, key: k }: KeyParams,
    @Body(new ZodPipe(stateDeleteBodySchema.optional())) body: StateDeleteBody | undefined,
    @correlation() c?: string,
  ): Promise<StateDeleteResult> {
    return this.objects.delete(id, k, body ?? {}, c);
  }

  @Post('keys/:key/increment')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Add `by` (default 1) to a number; a missing key counts as 0; 409 if it holds no number',
  })
  @ApiBody({ schema: openApiSchema(stateIncrementBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateIncrementResultSchema) })
  increment(
    @params(keyParams) { objectId: id, key: k }: KeyParams,
    @Body(new ZodPipe(stateIncrementBodySchema)) body: StateIncrementBody,
    @correlation() c?: string,
  ): Promise<StateIncrementResult> {
    return this.objects.increment(id, k, body, c);
  }

  @Post('keys/:key/append')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Append an item to a list; a missing key starts one; 409 if it holds no list' })
  @ApiBody({ schema: openApiSchema(stateAppendBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateAppendResultSchema) })
  append(
    @params(keyParams) { objectId: id, key: k }: KeyParams,
    @Body(new ZodPipe(stateAppendBodySchema)) body: StateAppendBody,
    @correlation() c?: string,
  ): Promise<StateAppendResult> {
    return this.objects.append(id, k, body, c);
  }

  @Post('locks/:lock')
  @HttpCode(201)
  @ApiBearerAuth()
  @ApiOperation({
    summary: 'Take a named lock for ttlMs; the grant carries a fencing token; 409 naming the holder if held',
  })
  @ApiBody({ schema: openApiSchema(stateLockBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateLockResultSchema) })
  lock(
    @params(lockParams) { objectId: id, lock }: LockParams,
    @Body(new ZodPipe(stateLockBodySchema)) body: StateLockBody,
    @correlation() c?: string,
  ): Promise<StateLockResult> {
    return this.objects.lock(id, lock, body, c);
  }

  @Post('locks/:lock/release')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Release a lock: only with the holder and token of its grant' })
  @ApiBody({ schema: openApiSchema(stateUnlockBodySchema) })
  @ApiOkResponse({ schema: openApiSchema(stateUnlockResultSchema) })
  unlock(
    @params(lockParams) { objectId: id, lock }: LockParams,
    @Body(new ZodPipe(stateUnlockBodySchema)) body: StateUnlockBody,
    @correlation() c?: string,
  ): Promise<StateUnlockResult> {
    return this.objects.unlock(id, lock, body, c);
  }

  // The same operations over NATS: `<ns>.state.cmd.stateobj.<op>` and `<ns>.state.qry.stateobj.get`.

  @NatsRequest(GetStateObject)
  getOverNats(@Payload() { objectId, key }: RequestData<typeof GetStateObject>) {
    return this.objects.get(objectId, key);
  }

  @NatsRequest(SetStateValue)
  setOverNats(
    @Payload() { objectId, key, ...body }: RequestData<typeof SetStateValue>,
    @correlation() c?: string,
  ) {
    return this.objects.set(objectId, key, body, c);
  }

  @NatsRequest(UpdateStateValues)
  updateOverNats(
    @Payload() { objectId, ...body }: RequestData<typeof UpdateStateValues>,
    @correlation() c?: string,
  ) {
    return this.objects.update(objectId, body, c);
  }

  @NatsRequest(DeleteStateKey)
  deleteOverNats(
    @Payload() { objectId, key, ...body }: RequestData<typeof DeleteStateKey>,
    @correlation() c?: string,
  ) {
    return this.objects.delete(objectId, key, body, c);
  }

  @NatsRequest(IncrementStateValue)
  incrementOverNats(
    @Payload() { objectId, key, ...body }: RequestData<typeof IncrementStateValue>,
    @correlation() c?: string,
  ) {
    return this.objects.increment(objectId, key, body, c);
  }

  @NatsRequest(AppendStateValue)
  appendOverNats(
    @Payload() { objectId, key, ...body }: RequestData<typeof AppendStateValue>,
    @correlation() c?: string,
  ) {
    return this.objects.append(objectId, key, body, c);
  }

  @NatsRequest(LockStateObject)
  lockOverNats(
    @Payload() { objectId, lock, ...body }: RequestData<typeof LockStateObject>,
    @correlation() c?: string,
  ) {
    return this.objects.lock(objectId, lock, body, c);
  }

  @NatsRequest(UnlockStateObject)
  unlockOverNats(
    @Payload() { objectId, lock, ...body }: RequestData<typeof UnlockStateObject>,
    @correlation() c?: string,
  ) {
    return this.objects.unlock(objectId, lock, body, c);
  }
}
