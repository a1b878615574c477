import type { DynamicModule, INestApplication } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import {
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { bootstrapService } from '../bootstrap';
import type { ServiceConfig } from '../config/service-config';

export const TEST_API_KEY = 'test-key-0123456789abcdef';
/** The name of TEST_API_KEY: the actor a service records for a test's changes. */
export const TEST_PRINCIPAL = 'tester';
/** Headers of an authorized JSON request. */
export const TEST_AUTHORIZED = {
  'content-type': 'application/json',
  authorization: `Bearer ${TEST_API_KEY}`,
};

export interface TestServiceDefinition {
  /** The service's own config loader (its name, port and database defaults, its variables). */
  readonly loadConfig: (env: NodeJS.ProcessEnv) => ServiceConfig;
  /** Its root module for a config, as main.ts builds it. */
  readonly module: (config: ServiceConfig) => DynamicModule;
}

/** A real service in this process on an ephemeral port, with its own namespace and database. */
export interface TestService {
  readonly app: INestApplication;
  readonly url: string;
  readonly subjects: SubjectSpace;
  /** A connection of the test itself, outside the service. */
  readonly nc: NatsConnection;
  /** Sends NATS requests with TEST_API_KEY. */
  readonly client: RequestClient;
  readonly databaseName: string;
  close(): Promise<void>;
}

/** `env` overrides the test environment (e.g. a higher RATE_LIMIT_PER_MINUTE for a fuzz run). */
export async function startTestService(
  definition: TestServiceDefinition,
  env: Record<string, string> = {},
): Promise<TestService> {
  const namespace = uniqueName('t');
  const databaseName = uniqueName('svc');
  const config = definition.loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    KAILASH_NAMESPACE: namespace,
    NATS_URL: testNatsUrl(),
    DATABASE_URL: testPostgresUrl(databaseName),
    API_KEYS: `${TEST_PRINCIPAL}:${TEST_API_KEY}`,
    ...env,
  });
  const app = await bootstrapService(definition.module(config), config, {
    title: config.service,
    description: 'test',
  });
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const nc = await connectTestNats(`${config.service}-test-client`);
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
      await dropTestDatabase(databaseName);
    },
  };
}
