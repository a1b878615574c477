import type { INestApplication } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { bootstrapService } from '@kailash/service-kit';
import { connectTestNats, deleteStreamsWithPrefix, dropTestDatabase, testNatsUrl, testPostgresUrl, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { AppModule } from '../src/app.module';
import { loadStateConfig } from '../src/config';
import { TEST_API_KEY, TEST_PRINCIPAL } from './state-app';

/** Two real state-svc instances sharing one namespace (streams, queue group) and one database. */
export interface StateAppPair {
  readonly urls: readonly [string, string];
  readonly apps: readonly [INestApplication, INestApplication];
  readonly subjects: SubjectSpace;
  /** NATS requests go to the service's queue group, so either instance may answer. */
  readonly client: RequestClient;
  close(): Promise<void>;
}

export async function startStateAppPair(): Promise<StateAppPair> {
  const namespace = uniqueName('t');
  const databaseName = uniqueName('state');
  const boot = async (instance: string) => {
    const config = loadStateConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      INSTANCE_ID: instance,
      KAILASH_NAMESPACE: namespace,
      NATS_URL: testNatsUrl(),
      DATABASE_URL: testPostgresUrl(databaseName),
      API_KEYS: `${TEST_PRINCIPAL}:${TEST_API_KEY}`,
      // The race tests send bursts from one address; the default limit would answer some with 429.
      RATE_LIMIT_PER_MINUTE: '100000',
    });
    const app = await bootstrapService(AppModule.forRoot(config), config, { title: 'test', description: 'test' });
    return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1') };
  };
  // One after the other: the second finds the database created and migrated by the first.
  const a = await boot('instance-a');
  const b = await boot('instance-b');
  const nc: NatsConnection = await connectTestNats('state-object-pair-client');
  const subjects = new SubjectSpace(namespace);
  return {
    urls: [a.url, b.url],
    apps: [a.app, b.app],
    subjects,
    client: new RequestClient(nc, subjects, { credential: TEST_API_KEY }),
    close: async () => {
      await Promise.all([a.app.close(), b.app.close()]);
      await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
      await nc.close();
      await dropTestDatabase(databaseName);
    },
  };
}
