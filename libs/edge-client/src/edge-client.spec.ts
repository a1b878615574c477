import { KailashError } from '@kailash/contracts';
import { EdgeClient } from './edge-client';
import { EdgeWorkloads } from './edge-workloads';
import { MOVED_CODE, movedTo } from './moved';
import type { AgentTransport, Locator, Target } from './routing';

/** A fleet in memory: which edge holds which store, and what each edge answers. */
class FakeFleet implements Locator, AgentTransport {
  owners = new Map<string, string>();
  placements: string[] = [];
  hosts = new Map<string, Set<string>>();
  down = new Set<string>();
  /** edge → the owner it names in a MOVED answer (null: moved, owner unknown). */
  movedAnswers = new Map<string, string | null>();
  locateCalls = 0;
  calls: string[] = [];

  async locate(target: Target): Promise<readonly string[]> {
    this.locateCalls++;
    if (target.kind === 'key') {
      const owner = this.owners.get(target.store);
      return owner ? [owner] : [];
    }
    return this.placements;
  }

  async request(edgeId: string, operation: string, data: unknown): Promise<unknown> {
    this.calls.push(edgeId);
    if (this.down.has(edgeId)) throw new KailashError('UNAVAILABLE', `${edgeId} is down`);
    if (this.movedAnswers.has(edgeId))
      throw new KailashError(MOVED_CODE as KailashError['code'], 'moved', {
        owner: this.movedAnswers.get(edgeId),
      });
    const hosted = this.hosts.get(edgeId);
    if (hosted && !hosted.has(operation)) throw new KailashError('NOT_FOUND', `${operation} is not here`);
    return { servedBy: edgeId, operation, data };
  }
}

const key: Target = { kind: 'key', store: 'sessions', key: 'user-1' };
const fn: Target = {
  kind: 'function',
  workload: 'thumbnail',
  client: { lat: 48.85, lon: 2.35 },
  country: 'FR',
};

describe('EdgeClient', () => {
  let fleet: FakeFleet;
  let clock: number;
  let client: EdgeClient;
  beforeEach(() => {
    fleet = new FakeFleet();
    clock = 0;
    client = new EdgeClient(fleet, fleet, { routeTtlMs: 1000, now: () => clock });
  });

  it('calls the owner of a store and reuses the route until it expires', async () => {
    fleet.owners.set('sessions', 'paris-1');
    await expect(client.call(key, 'kv.get', { key: 'user-1' })).resolves.toMatchObject({
      edgeId: 'paris-1',
      movedFrom: [],
      result: { servedBy: 'paris-1', operation: 'kv.get' },
    });
    await client.call(key, 'kv.get', {});
    expect(fleet.locateCalls).toBe(1);
    clock = 1001;
    await client.call(key, 'kv.get', {});
    expect(fleet.locateCalls).toBe(2);
  });

  it('follows a MOVED answer to the owner it names, without asking the control plane, and remembers it', async () => {
    fleet.owners.set('sessions', 'paris-1');
    fleet.movedAnswers.set('paris-1', 'frankfurt-1');
    const outcome = await client.call(key, 'kv.put', {});
    expect(outcome).toMatchObject({ edgeId: 'frankfurt-1', movedFrom: ['paris-1'] });
    expect(fleet.locateCalls).toBe(1);
    await client.call(key, 'kv.get', {});
    expect(fleet.calls).toEqual(['paris-1', 'frankfurt-1', 'frankfurt-1']);
  });

  it('a MOVED without an owner locates again', async () => {
    fleet.owners.set('sessions', 'paris-1');
    fleet.movedAnswers.set('paris-1', null);
    const located = jest.spyOn(fleet, 'locate').mockImplementation(async () => {
      fleet.locateCalls++;
      return fleet.locateCalls === 1 ? ['paris-1'] : ['madrid-1'];
    });
    await expect(client.call(key, 'kv.get', {})).resolves.toMatchObject({
      edgeId: 'madrid-1',
      movedFrom: ['paris-1'],
    });
    expect(located).toHaveBeenCalledTimes(2);
  });

  it('gives up after maxHops MOVED answers, naming the path', async () => {
    fleet.owners.set('sessions', 'a');
    fleet.movedAnswers.set('a', 'b');
    fleet.movedAnswers.set('b', 'a');
    const error = await client.call(key, 'kv.get', {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KailashError);
    expect((error as KailashError).code).toBe('UNAVAILABLE');
    expect((error as KailashError).message).toContain('a → b → a → b');
    expect(fleet.calls).toHaveLength(4);
  });

  it('a store nobody owns is UNAVAILABLE, and no agent is called', async () => {
    await expect(client.call(key, 'kv.get', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(fleet.calls).toEqual([]);
  });

  it('a function falls back to the next ranked edge when one is down or does not host it', async () => {
    fleet.placements = ['paris-1', 'madrid-1', 'frankfurt-1'];
    fleet.down.add('paris-1');
    fleet.hosts.set('madrid-1', new Set(['kv.get']));
    await expect(client.call(fn, 'workload.invoke', {})).resolves.toMatchObject({ edgeId: 'frankfurt-1' });
    expect(fleet.calls).toEqual(['paris-1', 'madrid-1', 'frankfurt-1']);
    fleet.calls = [];
    await client.call(fn, 'workload.invoke', {});
    expect(fleet.calls).toEqual(['frankfurt-1']);
  });

  it('a key call does not treat NOT_FOUND as "elsewhere": the owner said the key is absent', async () => {
    fleet.owners.set('sessions', 'paris-1');
    fleet.hosts.set('paris-1', new Set());
    await expect(client.call(key, 'kv.get', {})).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(fleet.calls).toEqual(['paris-1']);
  });

  it('an unreachable owner is located again once; the same answer fails the call', async () => {
    fleet.owners.set('sessions', 'paris-1');
    fleet.down.add('paris-1');
    await expect(client.call(key, 'kv.get', {})).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    expect(fleet.locateCalls).toBe(2);
    fleet.owners.set('sessions', 'frankfurt-1');
    await expect(client.call(key, 'kv.get', {})).resolves.toMatchObject({ edgeId: 'frankfurt-1' });
  });

  it('other errors pass through unchanged', async () => {
    fleet.owners.set('sessions', 'paris-1');
    jest.spyOn(fleet, 'request').mockRejectedValue(new KailashError('VALIDATION_FAILED', 'bad key'));
    await expect(client.call(key, 'kv.get', {})).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('movedTo', () => {
  it('reads the owner of a MOVED error and nothing else', () => {
    const moved = (details: unknown) => new KailashError(MOVED_CODE as KailashError['code'], 'm', details);
    expect(movedTo(moved({ owner: 'x' }))).toBe('x');
    expect(movedTo(moved({ owner: null }))).toBeNull();
    expect(movedTo(moved(undefined))).toBeNull();
    expect(movedTo(new KailashError('NOT_FOUND', 'n', { owner: 'x' }))).toBeUndefined();
    expect(movedTo(new Error('MOVED'))).toBeUndefined();
  });
});

describe('EdgeWorkloads', () => {
  it('refuses a bad request before it leaves, naming the field, and checks what comes back', async () => {
    const fleet = new FakeFleet();
    fleet.owners.set('sessions', 'paris-1');
    const workloads = new EdgeWorkloads(new EdgeClient(fleet, fleet));
    await expect(workloads.put('sessions', 'has space', 1)).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { issues: [expect.objectContaining({ field: 'key' })] },
    });
    expect(fleet.calls).toEqual([]);
    // The fake answers with an echo, which is no kv.get result: refused on arrival.
    await expect(workloads.get('sessions', 'k-1')).rejects.toThrow('kv.get result');
    expect(fleet.calls).toEqual(['paris-1']);
  });
});
