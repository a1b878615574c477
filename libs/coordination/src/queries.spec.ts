import { parseWith } from '@kailash/contracts';
import { clientRequestSchema } from './commands';
import type { Query } from './query-schemas';
import { querySchema, queryResultSchemas, runQuery } from './query-schemas';
import { Scenario, T0 } from './test/scenario';

describe('client reads over the state', () => {
  const seeded = () => {
    const s = new Scenario();
    const lease = s.lease(10_000);
    s.ok({ op: 'put', key: 'cfg/a', value: '1', lease });
    s.ok({ op: 'put', key: 'cfg/b', value: '2' });
    s.ok({ op: 'lock.acquire', name: 'jobs', lease });
    s.ok({ op: 'election.campaign', name: 'primary', lease, value: 'node-a' });
    return { s, lease };
  };

  it('answers each query at the current revision, in the shape its schema publishes', () => {
    const { s, lease } = seeded();
    const queries: Query[] = [
      { query: 'get', key: 'cfg/a' },
      { query: 'get', key: 'missing' },
      { query: 'range', range: { prefix: 'cfg/' }, limit: 1 },
      { query: 'lease', id: lease },
      { query: 'lease', id: 99 },
      { query: 'leases' },
      { query: 'lock', name: 'jobs' },
      { query: 'leader', name: 'primary' },
      { query: 'history', range: { prefix: '' }, fromRevision: 2 },
      { query: 'status' },
    ];
    for (const query of queries) {
      const result = runQuery(s.state, parseWith(querySchema, query), T0 + 1_000);
      expect(result.revision).toBe(4);
      expect(queryResultSchemas[query.query].safeParse(result).error).toBeUndefined();
    }
  });

  it('gives the values a client asked for', () => {
    const { s, lease } = seeded();
    const now = T0 + 4_000;
    expect(runQuery(s.state, { query: 'get', key: 'cfg/a' }, now)).toMatchObject({
      kv: { value: '1', lease },
    });
    expect(runQuery(s.state, { query: 'range', range: { prefix: 'cfg/' }, limit: 1 }, now)).toMatchObject({
      count: 2,
      more: true,
    });
    expect(runQuery(s.state, { query: 'lease', id: lease }, now)).toMatchObject({
      lease: {
        remainingMs: 6_000,
        keys: ['_coord/election/primary/00000000000001', '_coord/lock/jobs/00000000000001', 'cfg/a'],
      },
    });
    expect(runQuery(s.state, { query: 'leader', name: 'primary' }, now)).toMatchObject({
      leader: { value: 'node-a' },
      term: 1,
      stable: true,
    });
    expect(runQuery(s.state, { query: 'leases' }, T0 + 10_000)).toMatchObject({ due: [lease] });
    expect(
      runQuery(s.state, { query: 'history', range: { key: 'cfg/b' }, fromRevision: 0 }, now),
    ).toMatchObject({
      ok: true,
      events: [{ type: 'PUT', revision: 2 }],
    });
    expect(runQuery(s.state, { query: 'status' }, now)).toEqual({
      revision: 4,
      compactRevision: 0,
      appliedIndex: 5,
      keys: 4,
      leases: 1,
      sessions: 0,
    });
  });

  it("refuses a client's lease.expire: only the leader proposes expiry", () => {
    expect(() => parseWith(clientRequestSchema, { command: { op: 'lease.expire', ids: [1] } })).toThrow(
      /command\.op/,
    );
    expect(
      parseWith(clientRequestSchema, {
        session: { clientId: 1, seq: 2 },
        command: { op: 'lease.revoke', id: 1 },
      }),
    ).toEqual({ session: { clientId: 1, seq: 2 }, command: { op: 'lease.revoke', id: 1 } });
  });

  it('refuses a query it does not know, naming the field', () => {
    expect(() => parseWith(querySchema, { query: 'keys' })).toThrow(/query/);
    expect(() => parseWith(querySchema, { query: 'get', key: '' })).toThrow(/key/);
  });
});
