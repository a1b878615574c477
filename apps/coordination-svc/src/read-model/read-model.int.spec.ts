import { join } from 'node:path';
import { CoordLeaderHistory } from '@kailash/contracts';
import { builtAppMain, eventually, testPostgresUrl } from '@kailash/testing';
import { Pool } from 'pg';
import { REPLICA_AUTH } from '../../test/replica-process';
import type { TestCluster } from '../../test/replica-cluster';
import { startTestCluster } from '../../test/replica-cluster';

const ROOT = join(__dirname, '..', '..', '..', '..');
// Bounds for a build, processes and elections on a loaded machine; none is a speed assertion.
const BUILD_MS = 120_000;
const READY_MS = 30_000;
const CONVERGE_MS = 30_000;
const FAST_ENV = { COORD_TICK_MS: '20', COORD_ELECTION_TICKS: '10' };

interface HistoryPage<T> {
  replica: number;
  checkpoint: number;
  items: T[];
  next: string | null;
  gaps: { fromIndex: number; toIndex: number; reason: string }[];
}
interface FactItem {
  index: number;
  position: number;
  type: string;
  leaseId: number | null;
  name: string | null;
}

async function get<T>(url: string, path: string): Promise<{ status: number; body: T }> {
  const response = await fetch(`${url}${path}`, { headers: REPLICA_AUTH });
  return { status: response.status, body: (await response.json()) as T };
}

/** Every page of a history on one replica, following `next`. */
async function allOf<T>(url: string, path: string): Promise<T[]> {
  const items: T[] = [];
  let after: string | null = null;
  do {
    const separator = path.includes('?') ? '&' : '?';
    const cursor: string = after ? `${separator}after=${after}` : '';
    const { status, body } = await get<HistoryPage<T>>(
      url,
      `${path}${cursor}${cursor ? '&' : separator}limit=7`,
    );
    if (status !== 200) throw new Error(`GET ${path}: ${status} ${JSON.stringify(body)}`);
    items.push(...body.items);
    after = body.next;
  } while (after);
  return items;
}

describe('coordination-svc read model: each replica projects what it applies into its own PostgreSQL', () => {
  let cluster: TestCluster;

  /** Waits until every running replica has written its history up to the leader's commit index. */
  const settled = async (ids: readonly number[]) => {
    const { commitIndex } = await cluster.client.cluster();
    for (const id of ids)
      await eventually(
        `history of ${id} written up to ${commitIndex}`,
        () => get<HistoryPage<unknown>>(cluster.group.get(id).url, '/history/leaders?limit=1'),
        (page) => page.status === 200 && page.body.checkpoint >= commitIndex,
        CONVERGE_MS,
      );
    return commitIndex;
  };

  /** The same history, read on each replica, up to the index every one has written. */
  const onEach = async <T extends { index: number }>(ids: readonly number[], path: string, upTo: number) =>
    Promise.all(
      ids.map(async (id) =>
        (await allOf<T>(cluster.group.get(id).url, path)).filter((item) => item.index <= upTo),
      ),
    );

  beforeAll(
    async () => {
      const main = await builtAppMain('coordination-svc', ROOT, BUILD_MS);
      // A history that cannot be written for 3 s turns the replica not ready (the stall test below).
      cluster = await startTestCluster(
        main,
        'coordrm',
        { ...FAST_ENV, PROJECTION_STALL_MS: '3000' },
        READY_MS,
      );
    },
    BUILD_MS + READY_MS + 10_000,
  );
  afterAll(() => cluster?.close(), 30_000);

  it('records elections, lease expiry, locks and client elections alike on every replica', async () => {
    const expiring = await cluster.client.grantLease(1_000);
    const held = await cluster.client.grantLease(30_000);
    await cluster.client.lock('jobs', expiring.id);
    await cluster.client.lock('jobs', held.id);
    await cluster.client.campaign('scheduler', held.id, 'node-a');
    await eventually(
      'the short lease expired by the leader',
      () => cluster.client.leaseInfo(expiring.id),
      (info) => info.lease === null,
      CONVERGE_MS,
    );
    const first = (await cluster.client.cluster()).leader;
    const next = [1, 2, 3].find((id) => id !== first) as number;
    await cluster.client.transferLeadership(next);
    await eventually(
      'leadership handed over',
      () => cluster.client.cluster(),
      (v) => v.leader === next,
      CONVERGE_MS,
    );
    await cluster.client.put('after-transfer', 'x');
    const upTo = await settled([1, 2, 3]);

    const leaders = await onEach<{ index: number; term: number; leader: number | null }>(
      [1, 2, 3],
      '/history/leaders',
      upTo,
    );
    expect(leaders[1]).toEqual(leaders[0]);
    expect(leaders[2]).toEqual(leaders[0]);
    const last = leaders[0]?.at(-1);
    expect(last?.leader).toBe(next);
    expect(leaders[0]?.map((row) => row.leader)).toContain(first);

    const leases = await onEach<FactItem>([1, 2, 3], `/history/leases?leaseId=${expiring.id}`, upTo);
    expect(leases[0]?.map((row) => row.type)).toEqual(['lease.granted', 'lease.expired']);
    expect(leases[1]).toEqual(leases[0]);
    expect(leases[2]).toEqual(leases[0]);

    const locks = await onEach<FactItem>([1, 2, 3], '/history/locks?name=jobs', upTo);
    // The expired owner's release hands the lock to the waiter in the same entry.
    expect(locks[0]?.map((row) => [row.type, row.leaseId])).toEqual([
      ['lock.acquired', expiring.id],
      ['lock.released', expiring.id],
      ['lock.acquired', held.id],
    ]);
    expect(locks[1]).toEqual(locks[0]);
    expect(locks[2]).toEqual(locks[0]);

    const elections = await onEach<FactItem>(
      [1, 2, 3],
      '/history/elections?name=scheduler&type=leader',
      upTo,
    );
    expect(elections[0]).toHaveLength(1);
    expect(elections[1]).toEqual(elections[0]);

    // Over NATS too: whichever replica answers says which it is and how far its history goes.
    const page = await cluster.requests.send(CoordLeaderHistory, { order: 'desc', limit: 1 });
    expect(page.items[0]).toMatchObject({ leader: next });
    expect([1, 2, 3]).toContain(page.replica);
    expect(page.gaps).toEqual([]);
  }, 120_000);

  it('writes every row exactly once on replicas killed -9 while facts stream in, and restarted', async () => {
    const granted: number[] = [];
    let writing = true;
    const writer = (async () => {
      while (writing) {
        const lease = await cluster.client.grantLease(60_000);
        granted.push(lease.id);
        await cluster.client.revokeLease(lease.id);
      }
    })();
    const factsPast = (count: number, what: string) =>
      eventually(
        what,
        async () => granted.length,
        (n) => n >= count,
        CONVERGE_MS,
      );
    /** kill -9 mid-stream, facts go on without it, then it restarts on its WAL and database. */
    const crashAndRestart = async (id: number) => {
      await factsPast(granted.length + 10, `facts streaming before ${id} is killed`);
      await cluster.group.get(id).process.crash();
      await factsPast(granted.length + 10, `facts while ${id} is down`);
      cluster.group.restart(id);
      await cluster.group.get(id).process.ready(READY_MS);
    };
    const leader = (await cluster.client.cluster()).leader;
    const victim = [1, 2, 3].find((id) => id !== leader) as number;
    await crashAndRestart(victim);
    // The leader too: the writes in flight are retried on the new one, under the same session.
    await crashAndRestart(leader);
    await factsPast(granted.length + 10, 'facts after the restarts');
    writing = false;
    await writer;

    const upTo = await settled([1, 2, 3]);
    const [a, b, c] = await onEach<FactItem>([1, 2, 3], '/history/leases', upTo);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    const grantedRows = (a ?? []).filter(
      (row) => row.type === 'lease.granted' && granted.includes(row.leaseId ?? 0),
    );
    expect(grantedRows.map((row) => row.leaseId)).toEqual(granted);
    for (const id of [victim, leader]) {
      const { url } = cluster.group.get(id);
      expect((await get<HistoryPage<unknown>>(url, '/history/gaps')).body.gaps).toEqual([]);
      expect(await (await fetch(`${url}/metrics`)).text()).toMatch(
        /^kailash_coord_read_model_lag_entries \d+$/m,
      );
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
    }
  }, 150_000);

  it('turns a replica whose history cannot be written not ready, and writes what waited once it can', async () => {
    const replica = cluster.group.get(1);
    const readiness = () =>
      fetch(`${replica.url}/health/ready`).then(async (r) => ({ status: r.status, body: await r.text() }));
    const pool = new Pool({ connectionString: testPostgresUrl(replica.databaseName), max: 1 });
    const blocker = await pool.connect();
    try {
      // Holding the table's lock makes every write of the history wait, as a hung database would.
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE coord_facts IN ACCESS EXCLUSIVE MODE');
      const lease = await cluster.client.grantLease(60_000);
      const stalled = await eventually(
        'replica 1 not ready',
        readiness,
        (r) => r.status === 503,
        CONVERGE_MS,
      );
      expect(stalled.body).toMatch(/read-model/);
      // The KV does not wait for the history.
      await cluster.client.put('during-stall', 'yes');
      await blocker.query('ROLLBACK');
      await eventually('replica 1 ready again', readiness, (r) => r.status === 200, CONVERGE_MS);
      const upTo = await settled([1, 2, 3]);
      const [a, b] = await onEach<FactItem>([1, 2], `/history/leases?leaseId=${lease.id}`, upTo);
      expect(a?.map((row) => row.type)).toEqual(['lease.granted']);
      expect(a).toEqual(b);
    } finally {
      blocker.release();
      await pool.end();
    }
  }, 90_000);

  it('refuses a bad query parameter with a 400 naming it, and a parameter it does not take', async () => {
    const url = cluster.group.get(1).url;
    const cases: [string, RegExp][] = [
      ['/history/leases?limit=0', /limit/],
      ['/history/leases?leaseId=abc', /leaseId/],
      ['/history/locks?type=expired', /type/],
      ['/history/leaders?after=12', /after/],
      ['/history/leaders?order=sideways', /order/],
      ['/history/leaders?leaseId=1', /leaseId/],
    ];
    for (const [path, field] of cases) {
      const { status, body } = await get<{ error: { code: string; message: string } }>(url, path);
      expect([path, status, body.error.code]).toEqual([path, 400, 'VALIDATION_FAILED']);
      expect(body.error.message).toMatch(field);
    }
  }, 30_000);
});

describe('coordination-svc read model: a replica that catches up by snapshot says what it skipped', () => {
  let cluster: TestCluster;

  beforeAll(
    async () => {
      const main = await builtAppMain('coordination-svc', ROOT, BUILD_MS);
      // Small snapshots: a follower that misses a few dozen entries gets the leader's snapshot.
      const env = { ...FAST_ENV, COORD_SNAPSHOT_ENTRIES: '40', COORD_SNAPSHOT_KEEP: '5' };
      cluster = await startTestCluster(main, 'coordgap', env, READY_MS);
    },
    BUILD_MS + READY_MS + 10_000,
  );
  afterAll(() => cluster?.close(), 30_000);

  it('records one gap over the entries it never applied, and the rows after it like the others', async () => {
    const leader = (await cluster.client.cluster()).leader;
    const follower = [1, 2, 3].find((id) => id !== leader) as number;
    const others = [1, 2, 3].filter((id) => id !== follower);
    await cluster.group.get(follower).process.crash();
    const missed = await cluster.client.grantLease(60_000);
    for (let i = 0; i < 100; i++) await cluster.client.put(`bulk/${i}`, 'v');
    cluster.group.restart(follower);
    await cluster.group.get(follower).process.ready(READY_MS);
    const after = await cluster.client.grantLease(60_000);
    const { commitIndex } = await cluster.client.cluster();
    for (const id of [1, 2, 3])
      await eventually(
        `history of ${id} written up to ${commitIndex}`,
        () => get<HistoryPage<unknown>>(cluster.group.get(id).url, '/history/gaps'),
        (page) => page.status === 200 && page.body.checkpoint >= commitIndex,
        CONVERGE_MS,
      );

    const gaps = (await get<HistoryPage<unknown>>(cluster.group.get(follower).url, '/history/gaps')).body
      .gaps;
    expect(gaps).toHaveLength(1);
    const [gap] = gaps;
    for (const id of others)
      expect((await get<HistoryPage<unknown>>(cluster.group.get(id).url, '/history/gaps')).body.gaps).toEqual(
        [],
      );
    const leasesOf = (id: number) =>
      allOf<FactItem>(cluster.group.get(id).url, '/history/leases?type=granted');
    const mine = await leasesOf(follower);
    const theirs = await leasesOf(others[0] as number);
    const missedRow = theirs.find((row) => row.leaseId === missed.id);
    // The grant it missed lies inside the gap, and it has no row for it; the one after is there.
    expect(missedRow && gap && missedRow.index >= gap.fromIndex && missedRow.index <= gap.toIndex).toBe(true);
    expect(mine.map((row) => row.leaseId)).not.toContain(missed.id);
    expect(mine.map((row) => row.leaseId)).toContain(after.id);
    const past = (rows: FactItem[]) => rows.filter((row) => row.index > (gap?.toIndex ?? 0));
    expect(past(mine)).toEqual(past(theirs));
  }, 120_000);
});
