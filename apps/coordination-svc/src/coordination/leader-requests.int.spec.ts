import { RequestClient } from '@kailash/backbone';
import {
  CoordinationClient,
  CoordGet,
  CoordPut,
  leaderSubjectOf,
  leaderSubjectPrefix,
} from '@kailash/coordination-client';
import type { TestService } from '@kailash/service-kit/testing';
import { startTestService, TEST_API_KEY } from '@kailash/service-kit/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitUntilReady } from '../../test/replica-process';
import { coordService } from '../../test/coordination-svc';

/**
 * The leader's own command subjects on a one-replica group (it leads): the same guard, schema and
 * answers as the any-replica subjects, and the client's writes take this path.
 */
describe('commands on the leader subjects (real NATS)', () => {
  let service: TestService;
  let dataDir: string;
  let requests: RequestClient;
  let putAtLeader: string;
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'coord-leader-'));
    service = await startTestService(coordService, {
      COORD_NODE_ID: '1',
      COORD_PEERS: '1',
      COORD_DATA_DIR: dataDir,
      COORD_TICK_MS: '20',
    });
    await waitUntilReady(service.url, 20_000);
    requests = new RequestClient(service.nc, service.subjects, { credential: TEST_API_KEY });
    putAtLeader = leaderSubjectOf(requests.subjectOf(CoordPut), CoordPut);
  }, 60_000);
  afterAll(async () => {
    await service?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('lives below the command subjects, next to the any-replica one', () => {
    expect(putAtLeader).toBe(`${leaderSubjectPrefix(service.subjects.namespace)}put`);
    expect(putAtLeader).toBe(`${service.subjects.namespace}.coord.cmd.at-leader.put`);
  });

  it('applies a put sent to the leader subject and answers with the revision', async () => {
    const result = await requests.sendTo(
      putAtLeader,
      CoordPut,
      { key: 'ld/a', value: 'one' },
      { timeoutMs: 5_000 },
    );
    expect(result).toMatchObject({ ok: true, op: 'put' });
    const read = await requests.send(CoordGet, { key: 'ld/a' }, { timeoutMs: 5_000 });
    expect(read.kv?.value).toBe('one');
    expect(read.revision).toBe(result.revision);
  });

  it('refuses a request without a valid API key, and stores nothing', async () => {
    const anonymous = requests.as(undefined);
    await expect(
      anonymous.sendTo(putAtLeader, CoordPut, { key: 'ld/anon', value: 'x' }, { timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    await expect(
      requests
        .as('not-a-key')
        .sendTo(putAtLeader, CoordPut, { key: 'ld/anon', value: 'x' }, { timeoutMs: 5_000 }),
    ).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    const read = await requests.send(CoordGet, { key: 'ld/anon' }, { timeoutMs: 5_000 });
    expect(read.kv).toBeNull();
  });

  it('refuses invalid data naming the field, and an unknown command', async () => {
    const refusal = await requests
      .sendRaw(putAtLeader, { data: { key: 'ld/bad', value: 7 } }, { timeoutMs: 5_000 })
      .catch((error: unknown) => error);
    expect(refusal).toMatchObject({ code: 'VALIDATION_FAILED' });
    expect(JSON.stringify((refusal as { details?: unknown }).details)).toContain('value');
    const unknown = await requests
      .sendRaw(
        `${leaderSubjectPrefix(service.subjects.namespace)}no.such`,
        { data: {} },
        { timeoutMs: 5_000 },
      )
      .catch((error: unknown) => error);
    expect(unknown).toMatchObject({ code: 'NOT_FOUND' });
    const garbage = await service.nc.request(putAtLeader, 'not json', { timeout: 5_000 });
    expect(garbage.json()).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
  });

  it('the client sends its writes there (a subscriber on the subject sees each put)', async () => {
    const seen: string[] = [];
    const spy = service.nc.subscribe(putAtLeader, { callback: (_, msg) => void seen.push(msg.subject) });
    await service.nc.flush();
    const client = new CoordinationClient(requests);
    try {
      await client.put('ld/client', 'v1');
      await client.put('ld/client', 'v2');
      expect(seen).toHaveLength(2);
      expect((await client.get('ld/client'))?.value).toBe('v2');
    } finally {
      spy.unsubscribe();
      await client.close();
    }
  });
});
