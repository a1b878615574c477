import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainStreamSpec, ensureStream } from '@kailash/backbone';
import { STATE_DOMAIN, StateValueSet, SubjectSpace } from '@kailash/contracts';
import { natsServerConfig } from '@kailash/service-kit';
import type { NatsServerProcess } from '@kailash/testing';
import { eventually, startNatsServer, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import type { AgentConfig } from '../config/agent-config';
import { WorkloadCatalog } from '../functions/workload-catalog';
import { stateEventPublisher } from '../../test/state-events';
import { Ownership } from './ownership';

// Bounds for a server start and NATS round trips on a loaded machine; no speed claim.
const WAIT_MS = 30_000;

/**
 * With the generated nats-server configuration (a user per service, subject permissions), the
 * edge agent's own user may follow the state objects' events: the feed is not refused.
 */
describe('Ownership under the generated NATS permissions', () => {
  const namespace = uniqueName('ownperm');
  const subjects = new SubjectSpace(namespace);
  const passwords = new Map<string, string>();
  const passwordOf = (service: string): string => {
    if (!passwords.has(service)) passwords.set(service, randomBytes(18).toString('base64url'));
    return passwords.get(service) as string;
  };
  const dataDir = mkdtempSync(join(tmpdir(), 'ownership-perm-'));
  const connections: NatsConnection[] = [];
  let server: NatsServerProcess;
  let ownership: Ownership | undefined;

  const connectAs = async (user: string) => {
    const nc = await connect({ servers: server.url, user, pass: passwordOf(user), timeout: 5_000 });
    connections.push(nc);
    return nc;
  };

  beforeAll(async () => {
    server = await startNatsServer({
      config: ({ port, storeDir }) => natsServerConfig({ namespace, port, storeDir, passwordOf }),
    });
  }, WAIT_MS);

  afterAll(async () => {
    await ownership?.onApplicationShutdown();
    await Promise.all(connections.map((nc) => nc.close().catch(() => undefined)));
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }, WAIT_MS);

  it(
    "learns a workload's owner as the edge-agent user, from events state-svc's user wrote",
    async () => {
      const state = await connectAs('state-svc');
      await ensureStream(await jetstreamManager(state), domainStreamSpec(subjects, STATE_DOMAIN));
      const config = {
        edgeId: 'edge-a',
        dataDir,
        workloads: [{ id: 'carts', kind: 'kv' }],
      } as unknown as AgentConfig;
      ownership = new Ownership(config, await connectAs('edge-agent'), subjects, new WorkloadCatalog(config));
      ownership.onApplicationBootstrap();
      await stateEventPublisher(state, subjects).publish({
        definition: StateValueSet,
        aggregateId: 'carts',
        data: {
          objectId: 'carts',
          at: new Date().toISOString(),
          owner: 'edge-b',
          key: 'kind',
          value: 'kv-store',
        },
      });
      const owned = ownership;
      await eventually(
        'the owner followed',
        async () => owned.ownerOf('carts'),
        (owner) => owner === 'edge-b',
        WAIT_MS,
      );
    },
    WAIT_MS * 2,
  );
});
