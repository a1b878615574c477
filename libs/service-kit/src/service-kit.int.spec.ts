import type { INestApplication } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { deadLetterStreamSpec, domainStreamSpec, ensureStream, telemetryStreamSpec } from '@kailash/backbone';
import { EventCatalog, SubjectSpace } from '@kailash/contracts';
import {
  connectTestNats,
  deleteStreamsWithPrefix,
  eventually,
  testJetStreamManager,
  testNatsUrl,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import { bootstrapService } from './bootstrap';
import { loadServiceConfig } from './config/service-config';
import type { ServiceKitOptions } from './service-kit.module';
import { ServiceKitModule } from './service-kit.module';

/** A stateless process (an edge agent, say): no DATABASE_URL anywhere, `database: false`. */
async function startStatelessService(
  namespace: string,
  options: Partial<ServiceKitOptions> = {},
  env: Record<string, string> = {},
): Promise<{ app: INestApplication; url: string }> {
  const config = loadServiceConfig(
    'agent-svc',
    { port: 0 },
    {
      HOST: '127.0.0.1',
      LOG_LEVEL: 'silent',
      KAILASH_NAMESPACE: namespace,
      NATS_URL: testNatsUrl(),
      API_KEYS: 'agent-key-0123456789abcdef',
      ...env,
    },
  );
  @Module({
    imports: [
      ServiceKitModule.forRoot({
        config,
        domain: 'agent',
        catalog: new EventCatalog([]),
        database: false,
        ...options,
      } as ServiceKitOptions),
    ],
  })
  class StatelessModule {}
  const app = await bootstrapService(StatelessModule, config, { title: 'stateless', description: 'test' });
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
}

describe('service kit: stream ownership and a service without a database (real NATS)', () => {
  const namespace = uniqueName('sk');
  const subjects = new SubjectSpace(namespace);
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  const started: INestApplication[] = [];
  const start = async (options: Partial<ServiceKitOptions> = {}, env: Record<string, string> = {}) => {
    const service = await startStatelessService(namespace, options, env);
    started.push(service.app);
    return service;
  };

  beforeAll(async () => {
    nc = await connectTestNats(namespace);
    jsm = await testJetStreamManager(nc);
  });

  afterAll(async () => {
    for (const app of started) await app.close();
    await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
    await nc.close();
  });

  it('boots without a database: readiness checks NATS only, metrics are served, it shuts down', async () => {
    const { app, url } = await startStatelessService(namespace);
    const ready = await fetch(`${url}/health/ready`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { info: Record<string, unknown> };
    expect(Object.keys(body.info).sort()).toEqual(['nats', 'streams']);
    const metrics = await fetch(`${url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(await metrics.text()).toMatch(/process_cpu_user_seconds_total/);
    await expect(app.close()).resolves.toBeUndefined();
    await expect(fetch(`${url}/health/live`)).rejects.toThrow();
  });

  it('a consumer booting before the writer is not ready until the stream appears, and never configures it', async () => {
    const producer = domainStreamSpec(subjects, 'producer');
    const consumer = await start({ consumesDomains: ['producer'] });
    const waiting = (await (await fetch(`${consumer.url}/health/ready`)).json()) as {
      error?: Record<string, unknown>;
    };
    expect(waiting.error?.['streams']).toEqual({ status: 'down', [producer.name]: 'waiting' });
    await expect(jsm.streams.info(producer.name)).rejects.toThrow(/stream not found/);

    // The writer creates its stream with a config of its own choosing.
    const writersChoice = { ...producer, description: 'the producer decides', max_msg_size: 4096 };
    await ensureStream(jsm, writersChoice);
    await eventually(
      'the consumer to turn ready',
      async () => (await fetch(`${consumer.url}/health/ready`)).status,
      (status) => status === 200,
    );

    // Another consumer booting now finds it and leaves it as the writer configured it.
    await start({ consumesDomains: ['producer'] });
    const config = (await jsm.streams.info(producer.name)).config;
    expect(config).toEqual(
      expect.objectContaining({ description: 'the producer decides', max_msg_size: 4096 }),
    );
  });

  it('reports a stream that never appeared within STREAM_WAIT_MS as missing', async () => {
    const absent = subjects.stream('absent');
    const consumer = await start({ consumesDomains: ['absent'] }, { STREAM_WAIT_MS: '0' });
    const body = await eventually(
      'the wait to give up',
      async () =>
        (await (await fetch(`${consumer.url}/health/ready`)).json()) as {
          error?: Record<string, Record<string, string>>;
        },
      (result) => result.error?.['streams']?.[absent] === 'missing',
    );
    expect(body.error?.['streams']).toEqual({ status: 'down', [absent]: 'missing' });
  });

  it('creates DLQ and TELEMETRY if missing but never rewrites their config', async () => {
    const dlq = deadLetterStreamSpec(subjects);
    const telemetry = telemetryStreamSpec(subjects);
    // Present from the first tests' boots; someone chose other limits since.
    await jsm.streams.update(dlq.name, { ...dlq, max_age: nanos(3600_000) });
    await start({ telemetry: 'writer' });
    expect((await jsm.streams.info(telemetry.name)).config.max_age).toBe(telemetry.max_age);
    await jsm.streams.update(telemetry.name, { ...telemetry, max_age: nanos(7200_000) });
    await start({ telemetry: 'writer' });
    expect((await jsm.streams.info(dlq.name)).config.max_age).toBe(nanos(3600_000));
    expect((await jsm.streams.info(telemetry.name)).config.max_age).toBe(nanos(7200_000));
    // Its owner (monitor-svc) brings it back to the spec.
    await start({ telemetry: 'owner' });
    expect((await jsm.streams.info(telemetry.name)).config.max_age).toBe(telemetry.max_age);
  });

  it('answers 429 RATE_LIMITED past RATE_LIMIT_PER_MINUTE for one caller, not a 5xx', async () => {
    const { url } = await start({}, { RATE_LIMIT_PER_MINUTE: '3' });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await fetch(`${url}/metrics`)).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const refused = await fetch(`${url}/metrics`);
    expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });
});
