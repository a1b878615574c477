import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { domainStreamSpec, ensureStream } from '@kailash/backbone';
import { STATE_DOMAIN, StateValueSet, SubjectSpace } from '@kailash/contracts';
import { natsServerConfig } from '@kailash/service-kit';
import type { PermissionedNats } from '@kailash/testing';
import { eventually, startPermissionedNats, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
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
  const dataDir = mkdtempSync(join(tmpdir(), 'ownership-perm-'));
  let nats: PermissionedNats;
  let ownership: Ownership | undefined;

  beforeAll(async () => {
    nats = await startPermissionedNats({
      config: ({ port, storeDir, passwordOf }) => natsServerConfig({ namespace, port, storeDir, passwordOf }),
    });
  }, WAIT_MS);

  afterAll(async () => {
    await ownership?.onApplicationShutdown();
    await nats?.close();
    rmSync(dataDir, { recursive: true, force: true });
  }, WAIT_MS);

  it(
    "learns a workload's owner as the edge-agent user, from events state-svc's user wrote",
    async () => {
      const state = await nats.connectAs('state-svc');
      await ensureStream(await jetstreamManager(state), domainStreamSpec(subjects, STATE_DOMAIN));
      const config = {
        edgeId: 'edge-a',
        dataDir,
        workloads: [{ id: 'carts', kind: 'kv' }],
      } as unknown as AgentConfig;
      ownership = new Ownership(
        config,
        await nats.connectAs('edge-agent'),
        subjects,
        new WorkloadCatalog(config),
      );
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
