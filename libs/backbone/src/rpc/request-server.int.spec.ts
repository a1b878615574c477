import { defineCommand, KailashError, SubjectSpace } from '@kailash/contracts';
import { connectTestNats, uniqueName } from '@kailash/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { z } from 'zod';
import { RequestClient } from './request-client';
import { RequestServer } from './request-server';

const Greet = defineCommand('state', 'greet', {
  data: z.strictObject({ name: z.string().min(1) }),
  result: z.strictObject({ greeting: z.string() }),
});
const Crash = defineCommand('state', 'crash', { data: z.strictObject({}), result: z.strictObject({}) });
const Wait = defineCommand('state', 'wait', { data: z.strictObject({}), result: z.strictObject({}) });

describe('RequestServer over real NATS request/reply', () => {
  let nc: NatsConnection;
  let server: RequestServer;
  let client: RequestClient;
  const releases: (() => void)[] = [];

  beforeAll(async () => {
    nc = await connectTestNats('rpc-test');
    const subjects = new SubjectSpace(uniqueName('rpc'));
    server = new RequestServer({ nc, subjects, queue: 'test', maxPayloadBytes: 1024, maxInFlight: 2 });
    server.handle(Greet, async ({ name }) => ({ greeting: `hello ${name}` }));
    server.handle(Crash, async () => {
      throw new Error('secret internal detail');
    });
    server.handle(Wait, () => new Promise((resolve) => releases.push(() => resolve({}))));
    client = new RequestClient(nc, subjects);
    await nc.flush();
  });
  afterAll(async () => {
    releases.forEach((release) => release());
    await server.drain();
    await nc.close();
  });

  it('answers {ok, data} validated by the result schema', async () => {
    expect(await client.send(Greet, { name: 'edge' })).toEqual({ greeting: 'hello edge' });
  });

  it('answers bad input with VALIDATION_FAILED naming the field', async () => {
    await expect(client.send(Greet, { name: '' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/name: /) });
    await expect(client.sendRaw(client.subjectOf(Greet), '{"data":')).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(client.sendRaw(client.subjectOf(Greet), { data: { name: 'x' }, extra: 1 })).rejects.toThrow(/extra: unknown field/);
  });

  it('refuses an oversized request and hides internal errors behind INTERNAL', async () => {
    await expect(client.send(Greet, { name: 'x'.repeat(2000) })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    const crash = client.send(Crash, {});
    await expect(crash).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(crash).rejects.not.toThrow(/secret/);
  });

  it('sheds load beyond maxInFlight with UNAVAILABLE instead of queueing without bound', async () => {
    const held = [client.send(Wait, {}, { timeoutMs: 10_000 }), client.send(Wait, {}, { timeoutMs: 10_000 })];
    await new Promise((resolve) => setTimeout(resolve, 200));
    await expect(client.send(Greet, { name: 'late' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    releases.forEach((release) => release());
    await expect(Promise.all(held)).resolves.toEqual([{}, {}]);
    expect(await client.send(Greet, { name: 'again' })).toEqual({ greeting: 'hello again' });
  });

  it('keeps KailashError codes across the wire', async () => {
    const error = await client.send(Greet, { name: '' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(KailashError);
  });
});
