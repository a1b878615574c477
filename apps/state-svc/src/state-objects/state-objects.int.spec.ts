import {
  AppendStateValue,
  DeleteStateKey,
  GetStateObject,
  IncrementStateValue,
  KailashError,
  LockStateObject,
  SetStateValue,
  UnlockStateObject,
  UpdateStateValues,
} from '@kailash/contracts';
import { eventually } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { StateApp } from '../../test/state-app';
import { authorized, startStateApp } from '../../test/state-app';
import { json } from '../../test/http';

// Real servers on 2 shared cores: generous per-test limits (nothing here asserts on speed).
jest.setTimeout(60_000);

describe('state objects over REST and NATS (real NATS + PostgreSQL)', () => {
  let state: StateApp;
  beforeAll(async () => (state = await startStateApp()), 60_000);
  afterAll(() => state.close());

  const call = (method: string, path: string, body?: unknown, headers: Record<string, string> = authorized) =>
    fetch(`${state.url}/state-objects/${path}`, {
      method,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  const storedEvents = async () =>
    (await (await jetstreamManager(state.nc)).streams.info(state.subjects.stream('state'))).state.messages;
  const natsError = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: KailashError) => error,
    );

  describe('over REST', () => {
    it('sets, reads and deletes a key; the object keeps versions and metadata', async () => {
      const created = await call('PUT', 'rest-1/keys/colour', { value: 'red' });
      expect(created.status).toBe(200);
      expect(await json(created)).toEqual({
        objectId: 'rest-1',
        owner: null,
        version: 1,
        key: 'colour',
        previous: null,
        value: 'red',
      });
      expect(await json(await call('PUT', 'rest-1/keys/colour', { value: { shade: 'blue' } }))).toMatchObject(
        { version: 2, previous: 'red', value: { shade: 'blue' } },
      );

      const key = await json(await call('GET', 'rest-1/keys/colour'));
      expect(key).toMatchObject({
        objectId: 'rest-1',
        key: 'colour',
        exists: true,
        value: { shade: 'blue' },
        version: 2,
      });
      const missing = await json(await call('GET', 'rest-1/keys/size'));
      expect(missing).toMatchObject({ exists: false, value: null });

      const whole = await json(await call('GET', 'rest-1'));
      expect(whole).toMatchObject({
        objectId: 'rest-1',
        version: 2,
        body: { colour: { shade: 'blue' } },
        locks: [],
      });
      // Reads leave no trace: the metadata holds no access count a reader could drive.
      expect(Object.keys(whole.metadata).sort()).toEqual(['createdAt', 'modifiedAt']);
      expect(await json(await call('GET', 'rest-1'))).toEqual(whole);
      expect(Date.parse(whole.metadata.modifiedAt)).toBeGreaterThanOrEqual(
        Date.parse(whole.metadata.createdAt),
      );

      const deleted = await call('DELETE', 'rest-1/keys/colour');
      expect(await json(deleted)).toMatchObject({ version: 3, key: 'colour', previous: { shade: 'blue' } });
      const again = await call('DELETE', 'rest-1/keys/colour');
      expect(again.status).toBe(404);
      expect((await json(again)).error.message).toContain("no key 'colour'");
    });

    it('increments numbers and refuses to increment anything else', async () => {
      expect(await json(await call('POST', 'rest-2/keys/hits/increment', {}))).toMatchObject({
        previous: 0,
        value: 1,
        by: 1,
      });
      expect(await json(await call('POST', 'rest-2/keys/hits/increment', { by: 2.5 }))).toMatchObject({
        previous: 1,
        value: 3.5,
        version: 2,
      });
      await call('PUT', 'rest-2/keys/name', { value: 'x' });
      const refused = await call('POST', 'rest-2/keys/name/increment', {});
      expect(refused.status).toBe(409);
      expect((await json(refused)).error.message).toContain('holds a string, not a number');
    });

    it('appends to lists and refuses to append to anything else', async () => {
      await call('POST', 'rest-3/keys/log/append', { item: 'a' });
      expect(await json(await call('POST', 'rest-3/keys/log/append', { item: { b: 2 } }))).toMatchObject({
        appended: { b: 2 },
        length: 2,
      });
      expect((await json(await call('GET', 'rest-3/keys/log'))).value).toEqual(['a', { b: 2 }]);
      await call('POST', 'rest-3/keys/n/increment', {});
      const refused = await call('POST', 'rest-3/keys/n/append', { item: 1 });
      expect(refused.status).toBe(409);
      expect((await json(refused)).error.message).toContain('not a list');
    });

    it('updates several keys by compare-and-set on the version; a stale version gets 412 and changes nothing', async () => {
      const first = await call('PATCH', 'rest-4', { expectedVersion: 0, values: { a: 1, b: 2 } });
      expect(await json(first)).toMatchObject({
        version: 1,
        previous: { a: null, b: null },
        values: { a: 1, b: 2 },
      });
      const second = await call('PATCH', 'rest-4', { expectedVersion: 1, values: { a: 10 } });
      expect(await json(second)).toMatchObject({ version: 2, previous: { a: 1 } });
      const stale = await call('PATCH', 'rest-4', { expectedVersion: 1, values: { a: 99 } });
      expect(stale.status).toBe(412);
      expect((await json(stale)).error).toMatchObject({
        code: 'PRECONDITION_FAILED',
        details: { expectedVersion: 1, actualVersion: 2 },
      });
      expect((await json(await call('GET', 'rest-4'))).body).toEqual({ a: 10, b: 2 });
    });

    it('grants a lock with a fencing token, refuses a second holder naming the first, and releases only with holder and token', async () => {
      const granted = await call('POST', 'rest-5/locks/writer', { holder: 'alice', ttlMs: 60_000 });
      expect(granted.status).toBe(201);
      const grant = await json(granted);
      expect(grant).toMatchObject({ objectId: 'rest-5', lock: 'writer', holder: 'alice', token: 1 });

      const contended = await call('POST', 'rest-5/locks/writer', { holder: 'bob', ttlMs: 60_000 });
      expect(contended.status).toBe(409);
      expect((await json(contended)).error).toEqual({
        code: 'CONFLICT',
        message: `lock 'writer' of state object 'rest-5' is held by 'alice' until ${grant.expiresAt}`,
        details: {
          objectId: 'rest-5',
          lock: 'writer',
          reason: 'held',
          holder: 'alice',
          expiresAt: grant.expiresAt,
        },
      });

      const view = await json(await call('GET', 'rest-5'));
      expect(view.locks).toEqual([{ name: 'writer', holder: 'alice', expiresAt: grant.expiresAt }]);

      const release = async (holder: string, token: number) => {
        const response = await call('POST', 'rest-5/locks/writer/release', { holder, token });
        return { status: response.status, body: await json(response) };
      };
      expect(await release('bob', grant.token)).toMatchObject({
        status: 409,
        body: { error: { details: { reason: 'held' } } },
      });
      expect(await release('alice', grant.token + 1)).toMatchObject({
        status: 409,
        body: { error: { details: { reason: 'stale-token', token: grant.token + 1 } } },
      });
      expect(
        await json(
          await call('POST', 'rest-5/locks/writer/release', { holder: 'alice', token: grant.token }),
        ),
      ).toMatchObject({ released: true });
      expect(await release('alice', grant.token)).toMatchObject({
        status: 409,
        body: { error: { code: 'CONFLICT', details: { reason: 'not-held', status: 'vacant' } } },
      });
      expect(
        (await json(await call('POST', 'rest-5/locks/writer', { holder: 'bob', ttlMs: 60_000 }))).token,
      ).toBe(2);
    });

    it('lets a fenced write through with the current token only', async () => {
      const { token } = await json(await call('POST', 'rest-6/locks/l', { holder: 'alice', ttlMs: 60_000 }));
      expect((await call('PUT', 'rest-6/keys/a', { value: 1, fence: { lock: 'l', token } })).status).toBe(
        200,
      );
      const stale = await call('PUT', 'rest-6/keys/a', { value: 2, fence: { lock: 'l', token: token + 5 } });
      expect(stale.status).toBe(409);
      expect((await json(stale)).error).toEqual({
        code: 'CONFLICT',
        message: `lock 'l' of state object 'rest-6': fencing token ${token + 5} is stale`,
        // Never the current token: only its grantee may know it.
        details: { objectId: 'rest-6', lock: 'l', reason: 'stale-token', token: token + 5 },
      });
      const fencedDelete = await call('DELETE', 'rest-6/keys/a', { fence: { lock: 'l', token: 99 } });
      expect(fencedDelete.status).toBe(409);
      expect((await json(await call('GET', 'rest-6/keys/a'))).value).toBe(1);
    });

    it('answers 404 for an unknown object', async () => {
      const response = await call('GET', 'nobody-here');
      expect(response.status).toBe(404);
      expect((await json(response)).error.code).toBe('NOT_FOUND');
    });
  });

  describe('over NATS', () => {
    it('runs every operation and the get query', async () => {
      const { client } = state;
      expect(await client.send(SetStateValue, { objectId: 'nats-1', key: 'a', value: [1] })).toMatchObject({
        version: 1,
        value: [1],
      });
      expect(await client.send(AppendStateValue, { objectId: 'nats-1', key: 'a', item: 2 })).toMatchObject({
        version: 2,
        length: 2,
      });
      expect(await client.send(IncrementStateValue, { objectId: 'nats-1', key: 'n', by: 3 })).toMatchObject({
        version: 3,
        value: 3,
      });
      expect(
        await client.send(UpdateStateValues, { objectId: 'nats-1', expectedVersion: 3, values: { b: true } }),
      ).toMatchObject({ version: 4 });
      expect(await client.send(DeleteStateKey, { objectId: 'nats-1', key: 'b' })).toMatchObject({
        version: 5,
        previous: true,
      });
      const grant = await client.send(LockStateObject, {
        objectId: 'nats-1',
        lock: 'l',
        holder: 'w',
        ttlMs: 5000,
      });
      expect(grant).toMatchObject({ version: 6, token: 1 });
      expect(
        await client.send(UnlockStateObject, {
          objectId: 'nats-1',
          lock: 'l',
          holder: 'w',
          token: grant.token,
        }),
      ).toMatchObject({ released: true, version: 7 });
      expect(await client.send(GetStateObject, { objectId: 'nats-1' })).toMatchObject({
        version: 7,
        body: { a: [1, 2], n: 3 },
      });
      expect(await client.send(GetStateObject, { objectId: 'nats-1', key: 'n' })).toMatchObject({
        exists: true,
        value: 3,
      });
    });

    it('replies with the same error codes as REST', async () => {
      const { client } = state;
      await client.send(SetStateValue, { objectId: 'nats-2', key: 's', value: 'text' });
      expect(
        await natsError(client.send(IncrementStateValue, { objectId: 'nats-2', key: 's' })),
      ).toMatchObject({ code: 'CONFLICT' });
      expect(
        await natsError(
          client.send(UpdateStateValues, { objectId: 'nats-2', expectedVersion: 7, values: { a: 1 } }),
        ),
      ).toMatchObject({ code: 'PRECONDITION_FAILED' });
      expect(await natsError(client.send(GetStateObject, { objectId: 'nats-none' }))).toMatchObject({
        code: 'NOT_FOUND',
      });
      await client.send(LockStateObject, { objectId: 'nats-2', lock: 'l', holder: 'alice', ttlMs: 60_000 });
      const contended = await natsError(
        client.send(LockStateObject, { objectId: 'nats-2', lock: 'l', holder: 'bob', ttlMs: 60_000 }),
      );
      expect(contended).toMatchObject({ code: 'CONFLICT', details: { holder: 'alice' } });
    });
  });

  describe('bad input changes nothing', () => {
    const big = 'x'.repeat(9000);
    it.each([
      ['PUT', 'bad-1/keys/a', 'colour', { value: 1, colour: 'red' }],
      ['PUT', 'bad-1/keys/a', 'value', { value: big }],
      ['PUT', 'bad-1/keys/a', 'value', {}],
      ['PUT', 'has.dot/keys/a', 'objectId', { value: 1 }],
      ['PUT', `bad-1/keys/${'k'.repeat(129)}`, 'key', { value: 1 }],
      ['PATCH', 'bad-1', 'expectedVersion', { expectedVersion: 'one', values: { a: 1 } }],
      ['PATCH', 'bad-1', 'values', { expectedVersion: 0, values: {} }],
      ['POST', 'bad-1/keys/a/increment', 'by', { by: 'two' }],
      ['POST', 'bad-1/keys/a/append', 'items', { items: [1] }],
      ['POST', 'bad-1/locks/l', 'ttlMs', { holder: 'w', ttlMs: 5 }],
      ['POST', 'bad-1/locks/l/release', 'token', { holder: 'w' }],
      ['DELETE', 'bad-1/keys/a', 'fence.token', { fence: { lock: 'l' } }],
    ])('%s %s answers 400 naming %s', async (method, path, field, body) => {
      const before = await storedEvents();
      const response = await call(method, path, body);
      expect(response.status).toBe(400);
      const { error } = await json(response);
      expect(error.code).toBe('VALIDATION_FAILED');
      expect(error.details.issues.map((issue: { field: string }) => issue.field)).toContain(field);
      expect(await storedEvents()).toBe(before);
    });

    it('answers error replies naming the field over NATS and changes nothing', async () => {
      const before = await storedEvents();
      const subject = state.client.subjectOf(SetStateValue);
      await expect(state.client.sendRaw(subject, { data: { objectId: 'bad-2', key: 'a' } })).rejects.toThrow(
        /value/,
      );
      await expect(
        state.client.sendRaw(state.client.subjectOf(IncrementStateValue), {
          data: { objectId: 'bad-2', key: 'a', by: 'x' },
        }),
      ).rejects.toThrow(/by:/);
      await expect(
        state.client.sendRaw(state.client.subjectOf(LockStateObject), {
          data: { objectId: 'bad 2', lock: 'l', holder: 'w', ttlMs: 1000 },
        }),
      ).rejects.toThrow(/objectId/);
      expect(await storedEvents()).toBe(before);
    });

    it('refuses changes without an API key', async () => {
      const response = await call(
        'PUT',
        'anon-1/keys/a',
        { value: 1 },
        { 'content-type': 'application/json' },
      );
      expect(response.status).toBe(401);
      expect((await call('GET', 'anon-1')).status).toBe(404);
    });
  });

  it('serves the operations in OpenAPI and counts them in metrics', async () => {
    const docs = await json(await fetch(`${state.url}/docs-json`));
    expect(Object.keys(docs.paths)).toEqual(
      expect.arrayContaining([
        '/state-objects/{objectId}',
        '/state-objects/{objectId}/keys/{key}',
        '/state-objects/{objectId}/keys/{key}/increment',
        '/state-objects/{objectId}/keys/{key}/append',
        '/state-objects/{objectId}/locks/{lock}',
        '/state-objects/{objectId}/locks/{lock}/release',
      ]),
    );
    const metrics = await (await fetch(`${state.url}/metrics`)).text();
    expect(metrics).toMatch(
      /kailash_state_object_operations_total\{operation="increment",outcome="ok"\} [1-9]/,
    );
    expect(metrics).toMatch(
      /kailash_state_object_operations_total\{operation="update",outcome="PRECONDITION_FAILED"\} [1-9]/,
    );
    expect(metrics).toMatch(/kailash_state_object_lock_contention_total [1-9]/);
  });

  it('projects objects into its table, with the same state the write side has', async () => {
    await eventually(
      'the projected object',
      async () => (await state.client.send(GetStateObject, { objectId: 'nats-1' })) as { version: number },
      (v) => v.version === 7,
    );
    const consumers = await json(await fetch(`${state.url}/health/ready`));
    expect(consumers.details.consumers).toEqual(
      expect.objectContaining({ 'state-objects': 'active', 'state-object-ownership': 'active' }),
    );
  });
});
