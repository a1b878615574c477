import type { INestApplication } from '@nestjs/common';
import { createStreamIfMissing, RequestClient, telemetryStreamSpec } from '@kailash/backbone';
import { LatestMetric, RecordMetric, SubjectSpace, TELEMETRY_METRICS } from '@kailash/contracts';
import { bootstrapService, natsServerConfig } from '@kailash/service-kit';
import type { PermissionedNats } from '@kailash/testing';
import {
  dropTestDatabase,
  eventually,
  startPermissionedNats,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { agentBatch } from '../test/agent-batch';
import { AppModule } from './app.module';
import { loadMonitorConfig } from './config';

const OPS_KEY = 'ops-key-0123456789abcdef';

/**
 * monitor-svc on a nats-server of its own with the generated users and permissions: an edge agent
 * (as its own user) publishes telemetry, monitor-svc (as its own) owns TELEMETRY and ingests it,
 * and record_metric needs an API key on top of the connection's credentials.
 */
describe('monitor-svc under the generated NATS permissions', () => {
  const namespace = uniqueName('mperm');
  const subjects = new SubjectSpace(namespace);
  const databaseName = uniqueName('monitor');
  let nats: PermissionedNats;
  let app: INestApplication;

  beforeAll(async () => {
    nats = await startPermissionedNats({
      config: ({ port, storeDir, passwordOf }) =>
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
      ...nats.serviceEnv('monitor-svc'),
      DATABASE_URL: testPostgresUrl(databaseName),
      API_KEYS: `ops:${OPS_KEY}`,
    });
    app = await bootstrapService(AppModule.forRoot(config), config, { title: 'test', description: 'test' });
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    await nats?.close();
    await dropTestDatabase(databaseName);
  }, 30_000);

  it("ingests an agent's telemetry published with the agent's own credentials", async () => {
    const agent = await nats.connectAs('edge-agent');
    // An agent creates TELEMETRY if missing (monitor-svc already did); then it publishes.
    await createStreamIfMissing(await jetstreamManager(agent), telemetryStreamSpec(subjects));
    await jetstream(agent).publish(
      subjects.telemetry(TELEMETRY_METRICS, 'edge-p'),
      JSON.stringify(agentBatch({ edgeId: 'edge-p', endMs: Date.now(), process: { cpuPercent: 12 } })),
    );
    // No service calls the monitor domain yet (SERVICE_TOPOLOGY): the operator user does, with a key.
    const ops = new RequestClient(await nats.connectAs('ops'), subjects, { credential: OPS_KEY });
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
