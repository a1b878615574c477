import { Writable } from 'node:stream';
import type {
  CallHandler,
  DynamicModule,
  ExecutionContext,
  INestApplication,
  NestInterceptor,
} from '@nestjs/common';
import { Body, Controller, Injectable, Logger, Module, Post, UseInterceptors } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { Payload } from '@nestjs/microservices';
import { RequestClient, RequestContext } from '@kailash/backbone';
import type { RequestData } from '@kailash/contracts';
import { defineCommand, defineQuery, KailashError, SubjectSpace } from '@kailash/contracts';
import { connectTestNats, uniqueName } from '@kailash/testing';
import type { NatsConnection } from '@nats-io/transport-node';
import { Logger as PinoNestLogger, LoggerModule } from 'nestjs-pino';
import { lastValueFrom } from 'rxjs';
import { z } from 'zod';
import { startNatsTransport, useRequestContext } from '../bootstrap';
import { loadServiceConfig } from '../config/service-config';
import type { ServiceConfig } from '../config/service-config';
import { SERVICE_CONFIG } from '../config/tokens';
import { CorrelationId, Principal } from '../context/request-scope.decorators';
import { SequenceInterceptor } from '../context/sequence.interceptor';
import { ApiKeyGuard } from '../http/api-key.guard';
import { ErrorFilter } from '../http/error.filter';
import { ZodPipe } from '../http/zod-body.pipe';
import { loggerParams } from '../logging';
import { NatsEnvelopeClient } from './nats-envelope.client';
import { NatsEnvelopeServer } from './nats-envelope.server';
import { NatsRequest } from './nats-request.decorator';

const ALICE_KEY = 'alice-key-0123456789';
const Greet = defineCommand('demo', 'greet', {
  data: z.strictObject({ name: z.string().min(1) }),
  result: z.strictObject({ greeting: z.string(), by: z.string(), correlationId: z.string() }),
});
const Peek = defineQuery('demo', 'peek', {
  data: z.strictObject({}),
  result: z.strictObject({ principal: z.string().nullable(), minSequence: z.number().nullable() }),
});
const Crash = defineCommand('demo', 'crash', { data: z.strictObject({}), result: z.strictObject({}) });
const Wait = defineCommand('demo', 'wait', { data: z.strictObject({}), result: z.strictObject({}) });

/** Counts what passes through it, per transport: proof that one interceptor serves both. */
@Injectable()
class CountingInterceptor implements NestInterceptor {
  static readonly seen: string[] = [];
  intercept(context: ExecutionContext, next: CallHandler) {
    CountingInterceptor.seen.push(`${context.getType()}:${context.getHandler().name}`);
    return next.handle();
  }
}

const releases: (() => void)[] = [];
const logger = new Logger('Demo');

@Injectable()
class DemoService {
  greet(name: string, by: string, correlationId: string | undefined) {
    logger.log({ msg: 'greeting', name });
    RequestContext.recordSequence(41);
    RequestContext.recordSequence(42);
    return Promise.resolve({ greeting: `hello ${name}`, by, correlationId: correlationId ?? 'none' });
  }
}

@Controller('demo')
@UseInterceptors(CountingInterceptor)
class DemoController {
  constructor(private readonly demo: DemoService) {}

  @Post('greet')
  greetOverHttp(
    @Body(new ZodPipe(Greet.data)) body: RequestData<typeof Greet>,
    @Principal() by: string,
    @CorrelationId() id: string | undefined,
  ) {
    return this.demo.greet(body.name, by, id);
  }

  @NatsRequest(Greet)
  greetOverNats(
    @Payload() data: RequestData<typeof Greet>,
    @Principal() by: string,
    @CorrelationId() id: string | undefined,
  ) {
    return this.demo.greet(data.name, by, id);
  }

  @NatsRequest(Peek)
  peek() {
    const scope = RequestContext.current();
    return { principal: scope?.principal ?? null, minSequence: scope?.minSequence ?? null };
  }

  @NatsRequest(Crash)
  crash(): never {
    throw new Error('secret internal detail');
  }

  @NatsRequest(Wait)
  wait() {
    return new Promise((resolve) => releases.push(() => resolve({})));
  }
}

function demoModule(
  config: ServiceConfig,
  nc: NatsConnection,
  subjects: SubjectSpace,
  logs: Writable,
): DynamicModule {
  @Module({})
  class DemoModule {}
  return {
    module: DemoModule,
    imports: [LoggerModule.forRoot({ pinoHttp: [loggerParams(config).pinoHttp as object, logs] })],
    controllers: [DemoController],
    providers: [
      DemoService,
      CountingInterceptor,
      { provide: SERVICE_CONFIG, useValue: config },
      {
        provide: NatsEnvelopeServer,
        useFactory: () =>
          new NatsEnvelopeServer({ nc, subjects, queue: 'demo', maxPayloadBytes: 1024, maxInFlight: 2 }),
      },
      { provide: APP_GUARD, useClass: ApiKeyGuard },
      { provide: APP_FILTER, useClass: ErrorFilter },
      { provide: APP_INTERCEPTOR, useClass: SequenceInterceptor },
    ],
  };
}

interface DemoApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly anonymous: RequestClient;
  readonly alice: RequestClient;
  readonly logLines: () => Record<string, unknown>[];
}

async function startDemo(nc: NatsConnection, env: Record<string, string>): Promise<DemoApp> {
  const namespace = uniqueName('tr');
  const subjects = new SubjectSpace(namespace);
  const config = loadServiceConfig(
    'demo-svc',
    { port: 0, database: 'unused' },
    {
      API_KEYS: `alice:${ALICE_KEY},bob:bob-key-01234567890`,
      KAILASH_NAMESPACE: namespace,
      HOST: '127.0.0.1',
      ...env,
    },
  );
  const lines: string[] = [];
  const logs = new Writable({
    write: (chunk, _encoding, done) => (lines.push(...String(chunk).split('\n').filter(Boolean)), done()),
  });
  const app = await NestFactory.create(demoModule(config, nc, subjects, logs), { bufferLogs: true });
  app.useLogger(app.get(PinoNestLogger));
  useRequestContext(app);
  await startNatsTransport(app);
  await app.listen(0, '127.0.0.1');
  const anonymous = new RequestClient(nc, subjects);
  return {
    app,
    url: (await app.getUrl()).replace('[::1]', '127.0.0.1'),
    anonymous,
    alice: anonymous.as(ALICE_KEY),
    logLines: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('NatsEnvelopeServer: Nest handlers over real NATS request/reply', () => {
  let nc: NatsConnection;
  let demo: DemoApp;

  beforeAll(async () => {
    nc = await connectTestNats('transport-test');
    demo = await startDemo(nc, {});
  }, 30_000);
  afterAll(async () => {
    releases.forEach((release) => release());
    await demo.app.close();
    await nc.close();
  });

  it('serves a @NatsRequest handler through the guard, pipe, interceptor and filter its REST twin uses', async () => {
    CountingInterceptor.seen.length = 0;
    const answer = await demo.alice.ask(Greet, { name: 'edge' }, { correlationId: 'corr-nats-1' });
    expect(answer).toEqual({
      data: { greeting: 'hello edge', by: 'alice', correlationId: 'corr-nats-1' },
      sequence: 42,
    });

    const response = await fetch(`${demo.url}/demo/greet`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Bearer ${ALICE_KEY}`,
        'x-correlation-id': 'corr-http-1',
      },
      body: JSON.stringify({ name: 'edge' }),
    });
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      greeting: 'hello edge',
      by: 'alice',
      correlationId: 'corr-http-1',
    });
    expect(response.headers.get('kailash-sequence')).toBe('42');
    expect(CountingInterceptor.seen).toEqual(['rpc:greetOverNats', 'http:greetOverHttp']);
  });

  it('logs every line of an HTTP request with its request id, and refuses a malformed kailash-min-sequence naming it', async () => {
    const post = (headers: Record<string, string>) =>
      fetch(`${demo.url}/demo/greet`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ALICE_KEY}`, ...headers },
        body: JSON.stringify({ name: 'http' }),
      });
    expect((await post({ 'x-correlation-id': 'corr-http-log' })).status).toBe(201);
    const lines = demo.logLines().filter((line) => line['correlationId'] === 'corr-http-log');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'greeting' }),
        expect.objectContaining({ msg: 'request completed' }),
      ]),
    );
    const bad = await post({ 'kailash-min-sequence': '-3' });
    expect(bad.status).toBe(400);
    expect(
      ((await bad.json()) as { error: { details: { issues: { field: string }[] } } }).error.details.issues[0]
        ?.field,
    ).toBe('kailash-min-sequence');
  });

  it('answers bad data with VALIDATION_FAILED naming the field, as the REST pipe does', async () => {
    await expect(demo.alice.send(Greet, { name: '' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      message: expect.stringMatching(/name: /),
    });
    await expect(demo.alice.sendRaw(demo.alice.subjectOf(Greet), '{"data":')).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    await expect(
      demo.alice.sendRaw(demo.alice.subjectOf(Greet), { data: { name: 'x' }, actor: 'lease-expiry' }),
    ).rejects.toThrow(/actor: unknown field/);
    const error = await demo.alice.send(Greet, { name: '' }).catch((failure: unknown) => failure);
    expect(error).toBeInstanceOf(KailashError);
  });

  it('refuses a command without a credential or with an unknown one, before the handler runs', async () => {
    CountingInterceptor.seen.length = 0;
    await expect(demo.anonymous.send(Greet, { name: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/changes/),
    });
    await expect(demo.anonymous.as('not-a-key-0123456789').send(Greet, { name: 'x' })).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
    });
    expect(CountingInterceptor.seen).toEqual([]);
  });

  it('refuses an anonymous query when READ_AUTH is required (the default), and fills the scope for a keyed one', async () => {
    await expect(demo.anonymous.send(Peek, {})).rejects.toMatchObject({
      code: 'UNAUTHORIZED',
      message: expect.stringMatching(/reads/),
    });
    expect(await demo.alice.send(Peek, {}, { minSequence: 17 })).toEqual({
      principal: 'alice',
      minSequence: 17,
    });
    await expect(
      demo.alice.sendRaw(demo.alice.subjectOf(Peek), { data: {}, minSequence: -1 }),
    ).rejects.toThrow(/minSequence/);
  });

  it('refuses an oversized request and hides internal errors behind INTERNAL', async () => {
    await expect(demo.alice.send(Greet, { name: 'x'.repeat(2000) })).rejects.toMatchObject({
      code: 'PAYLOAD_TOO_LARGE',
    });
    const crash = demo.alice.send(Crash, {});
    await expect(crash).rejects.toMatchObject({ code: 'INTERNAL' });
    await expect(crash).rejects.not.toThrow(/secret/);
  });

  it('logs every NATS request, and every line logged while serving it, with its correlation id', async () => {
    await demo.alice.send(Greet, { name: 'logged' }, { correlationId: 'corr-log-1' });
    const lines = demo.logLines().filter((line) => line['correlationId'] === 'corr-log-1');
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ msg: 'greeting', name: 'logged' }),
        expect.objectContaining({
          msg: 'request completed',
          subject: demo.alice.subjectOf(Greet),
          principal: 'alice',
          outcome: 'ok',
        }),
      ]),
    );
  });

  it('offers a Nest ClientProxy speaking the same protocol', async () => {
    const client = new NatsEnvelopeClient(demo.alice);
    expect(await lastValueFrom(client.request(Greet, { name: 'proxy' }))).toMatchObject({
      greeting: 'hello proxy',
      by: 'alice',
    });
    await expect(
      lastValueFrom(new NatsEnvelopeClient(demo.anonymous).request(Greet, { name: 'x' })),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('sheds load beyond maxInFlight with UNAVAILABLE, then drains: requests in hand finish, no new ones are taken', async () => {
    const held = [
      demo.alice.send(Wait, {}, { timeoutMs: 10_000 }),
      demo.alice.send(Wait, {}, { timeoutMs: 10_000 }),
    ];
    await waitFor(() => releases.length === 2);
    await expect(demo.alice.send(Greet, { name: 'late' })).rejects.toMatchObject({ code: 'UNAVAILABLE' });

    const drained = demo.app.get(NatsEnvelopeServer).close();
    releases.splice(0).forEach((release) => release());
    await expect(Promise.all(held)).resolves.toEqual([{}, {}]);
    await drained;
    await expect(demo.alice.send(Greet, { name: 'after' }, { timeoutMs: 2_000 })).rejects.toThrow(
      /no responders|timeout/i,
    );
  });
});

describe('READ_AUTH=open', () => {
  it('answers an anonymous query but still refuses an anonymous command', async () => {
    const nc = await connectTestNats('transport-open-test');
    const demo = await startDemo(nc, { READ_AUTH: 'open' });
    try {
      expect(await demo.anonymous.send(Peek, {})).toEqual({ principal: null, minSequence: null });
      await expect(demo.anonymous.send(Greet, { name: 'x' })).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    } finally {
      await demo.app.close();
      await nc.close();
    }
  }, 30_000);
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
