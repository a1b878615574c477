import { randomBytes } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { createStreamIfMissing, RequestClient, telemetryStreamSpec } from '@kailash/backbone';
import type { MetricsBatch } from '@kailash/contracts';
import { LatestMetric, RecordMetric, SubjectSpace, TELEMETRY_METRICS } from '@kailash/contracts';
import { bootstrapService, natsServerConfig } from '@kailash/service-kit';
import type { NatsServerProcess } from '@kailash/testing';
import { dropTestDatabase, eventually, startNatsServer, testPostgresUrl, uniqueName } from '@kailash/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import { AppModule } from './app.module';
import { loadMonitorConfig } from './config';

const OPS_KEY = 'ops-key-0123456789abcdef';
const password = () => randomBytes(18).toString('base64url');

function agentBatch(edgeId: string): MetricsBatch {
  const end = Date.now();
  return {
    edgeId,
    instanceId: 'agent-1',
    sequence: 1,
    windowStart: new Date(end - 5000).toISOString(),
    windowEnd: new Date(end).toISOString(),
    process: { cpuPercent: 12, rssBytes: 1, heapUsedBytes: 1, eventLoopLagMs: { mean: 1, p99: 1, max: 1 } },
    host: {
      cpuCount: 1,
      loadAverage1m: 0,
      memoryTotalBytes: 0,
      memoryFreeBytes: 0,
      diskUsedBytes: 0,
      diskFreeBytes: 0,
    },
    workloads: [],
  };
}

/**
 * monitor-svc on a nats-server of its own with the generated users and permissions: an edge agent
 * (as its own user) publishes telemetry, monitor-svc (as its own) owns TELEMETRY and ingests it,
 * and record_metric needs an API key on top of the connection's credentials.
 */
describe('monitor-svc under the generated NATS permissions', () => {
  const namespace = uniqueName('mperm');
  const subjects = new SubjectSpace(namespace);
  const databaseName = uniqueName('monitor');
  const passwords = new Map<string, string>();
  const passwordOf = (service: string): string => {
    if (!passwords.has(service)) passwords.set(service, password());
    return passwords.get(service) as string;
  };
  const connections: NatsConnection[] = [];
  let server: NatsServerProcess;
  let app: INestApplication;

  const connectAs = async (user: string) => {
    const nc = await connect({
      servers: server.url,
      user,
      pass: passwordOf(user),
      timeout: 5_000,
      reconnect: false,
    });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    server = await startNatsServer({
      config: ({ port, storeDir }) =>
        natsServerConfig({
          namespace,
          port,
          storeDir,
          passwordOf,
          admin: { user: 'ops', password: passwordOf('ops') },
        }),
    });
    const config = loadMonitorConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KAILASH_NAMESPACE: namespace,
      NATS_URL: server.url,
      NATS_USER: 'monitor-svc',
      NATS_PASSWORD: passwordOf('monitor-svc'),
      DATABASE_URL: testPostgresUrl(databaseName),
      API_KEYS: `ops:${OPS_KEY}`,
    });
    app = await bootstrapService(AppModule.forRoot(config), config, { title: 'test', description: 'test' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    await server?.stop();
    await dropTestDatabase(databaseName);
  }, 30_000);

  it("ingests an agent's telemetry published with the agent's own credentials", async () => {
    const agent = await connectAs('edge-agent');
    // An agent creates TELEMETRY if missing (monitor-svc already did); then it publishes.
    await createStreamIfMissing(await jetstreamManager(agent), telemetryStreamSpec(subjects));
    await jetstream(agent).publish(
      subjects.telemetry(TELEMETRY_METRICS, 'edge-p'),
      JSON.stringify(agentBatch('edge-p')),
    );
    // No service calls the monitor domain yet (SERVICE_TOPOLOGY): the operator user does, with a key.
    const ops = new RequestClient(await connectAs('ops'), subjects, { credential: OPS_KEY });
    const latest = await eventually(
      'the batch ingested',
      () => ops.send(LatestMetric, { metric: 'cpu', edgeId: 'edge-p' }),
      (result) => result.series.length > 0,
      15_000,
    );
    expect(latest.series).toContainEqual(
      expect.objectContaining({ edgeId: 'edge-p', labels: { scope: 'process' }, value: 12 }),
    );
    const sample = { edgeId: 'edge-p', metric: 'availability', value: 1, at: new Date().toISOString() };
    await expect(ops.as(undefined).send(RecordMetric, { samples: [sample] })).rejects.toThrow(
      /Authorization/,
    );
    const asAgent = new RequestClient(agent, subjects, { credential: OPS_KEY });
    await expect(asAgent.send(RecordMetric, { samples: [sample] })).rejects.toThrow(/Permissions Violation/);
    await expect(ops.send(RecordMetric, { samples: [sample] })).resolves.toEqual({ accepted: 1 });
  }, 40_000);
});
