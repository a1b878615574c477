import type { INestApplication } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { bootstrapService } from '@kailash/service-kit';
import { connectTestNats, deleteStreamsWithPrefix, testNatsUrl, testPostgresUrl, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Client } from 'pg';
import { AppModule } from '../src/app.module';
import { loadStateConfig } from '../src/config';

export const TEST_API_KEY = 'test-key-0123456789abcdef';
/** The name of TEST_API_KEY: the actor history records for the tests' changes. */
export const TEST_PRINCIPAL = 'tester';

/** A real state-svc on an ephemeral port, with its own namespace and database. */
export interface StateApp {
  readonly app: INestApplication;
  readonly url: string;
  readonly subjects: SubjectSpace;
  readonly client: RequestClient;
  readonly nc: NatsConnection;
  readonly databaseName: string;
  close(): Promise<void>;
}

/** `env` overrides the test environment (e.g. a short PROJECTION_STALL_MS). */
export async function startStateApp(env: Record<string, string> = {}): Promise<StateApp> {
  const namespace = uniqueName('t');
  const databaseName = uniqueName('state');
  const config = loadStateConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KAILASH_NAMESPACE: namespace,
    NATS_URL: testNatsUrl(),
    DATABASE_URL: testPostgresUrl(databaseName),
    API_KEYS: `${TEST_PRINCIPAL}:${TEST_API_KEY}`,
    HTTP_BODY_LIMIT_BYTES: '16384',
    ...env,
  });
  const app = await bootstrapService(AppModule.forRoot(config), config, { title: 'test', description: 'test' });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const nc = await connectTestNats('state-test-client');
  const subjects = new SubjectSpace(namespace);
  return {
    app,
    url,
    subjects,
    nc,
    databaseName,
    client: new RequestClient(nc, subjects, { credential: TEST_API_KEY }),
    close: async () => {
      await app.close();
      await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
      await nc.close();
      const admin = new Client({ connectionString: testPostgresUrl('postgres') });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
      await admin.end();
    },
  };
}

export const authorized = { 'content-type': 'application/json', authorization: `Bearer ${TEST_API_KEY}` };
