import type { INestApplication } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import { GetEdgeHistory, RegisterEdge, STATE_DOMAIN, SubjectSpace, TransitionEdge } from '@kailash/contracts';
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
import { connect } from '@nats-io/transport-node';
import { AppModule } from './app.module';
import { loadStateConfig } from './config';

const OPS_KEY = 'ops-key-0123456789abcdef';

/**
 * A nats-server of its own with the generated configuration (users and subject permissions): a
 * client without credentials, or with another service's, cannot send a command or write an event;
 * the right ones can, and history records the API key's name as the actor.
 */
describe('NATS subject permissions from the generated nats-server configuration', () => {
  const namespace = uniqueName('perm');
  const subjects = new SubjectSpace(namespace);
  const databaseName = uniqueName('state');
  let nats: PermissionedNats;
  let app: INestApplication;

  beforeAll(async () => {
    nats = await startPermissionedNats({
      config: ({ port, storeDir, passwordOf }) => natsServerConfig({ namespace, port, storeDir, passwordOf }),
    });
    const config = loadStateConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      KAILASH_NAMESPACE: namespace,
      ...nats.serviceEnv('state-svc'),
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

  it('refuses a connection without credentials or with a wrong password', async () => {
    await expect(nats.connectAs()).rejects.toThrow(/authoriz/i);
    await expect(
      connect({
        servers: nats.url,
        user: 'state-svc',
        pass: 'not-the-password-000',
        timeout: 5_000,
        reconnect: false,
      }),
    ).rejects.toThrow(/authoriz/i);
  });

  it('lets a caller of the state domain send a command, and records the API key name as the actor', async () => {
    const agent = new RequestClient(await nats.connectAs('edge-agent'), subjects, { credential: OPS_KEY });
    await agent.send(RegisterEdge, {
      edgeId: 'perm-1',
      name: 'P',
      region: 'eu-west',
      location: { lat: 1, lon: 2 },
    });
    await agent.send(TransitionEdge, { edgeId: 'perm-1', to: 'warming', reason: 'bring-up' });
    const history = await eventually(
      'the transition projected',
      () =>
        agent.send(GetEdgeHistory, { edgeId: 'perm-1' }).catch(() => ({ edgeId: 'perm-1', transitions: [] })),
      (h) => h.transitions.length === 2,
    );
    expect(history.transitions[1]).toMatchObject({ to: 'warming', reason: 'bring-up', actor: 'ops' });
  });

  it("refuses another service's credentials a command of the state domain: nothing reaches state-svc", async () => {
    const monitor = new RequestClient(await nats.connectAs('monitor-svc'), subjects, { credential: OPS_KEY });
    await expect(
      monitor.send(
        RegisterEdge,
        { edgeId: 'perm-2', name: 'P', region: 'eu-west', location: { lat: 1, lon: 2 } },
        { timeoutMs: 3_000 },
      ),
    ).rejects.toThrow(/permission/i);
    const agent = new RequestClient(await nats.connectAs('edge-agent'), subjects, { credential: OPS_KEY });
    await expect(
      agent.send(TransitionEdge, { edgeId: 'perm-2', to: 'warming', reason: 'x' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('lets no other service subscribe to the requests state-svc serves (they carry API keys)', async () => {
    const sub = (await nats.connectAs('monitor-svc')).subscribe(`${namespace}.state.cmd.>`);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      sub.closed,
      new Promise((resolve) => (timer = setTimeout(() => resolve('still open'), 5_000))),
    ]);
    clearTimeout(timer);
    expect(String(outcome)).toMatch(/permission/i);
  });

  it('lets only state-svc write events of the state domain', async () => {
    const stream = subjects.stream(STATE_DOMAIN);
    const subject = subjects.event(STATE_DOMAIN, 'probe', 'forged-1');
    const stateNc = await nats.connectAs('state-svc');
    const before = (await (await jetstreamManager(stateNc)).streams.info(stream)).state.messages;

    for (const intruder of ['monitor-svc', 'edge-agent']) {
      const js = jetstream(await nats.connectAs(intruder), { timeout: 3_000 });
      await expect(js.publish(subject, '{}')).rejects.toThrow(/permission/i);
    }
    expect((await (await jetstreamManager(stateNc)).streams.info(stream)).state.messages).toBe(before);

    // The owner's credentials can (a raw append, to prove the permission, not the service's logic).
    await jetstream(stateNc).publish(subject, '{}');
    expect((await (await jetstreamManager(stateNc)).streams.info(stream)).state.messages).toBe(before + 1);
  });
});
