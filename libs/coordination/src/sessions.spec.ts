import { get } from './queries';
import { Scenario } from './test/scenario';

describe('client sessions (exactly-once), given / when / then', () => {
  const opened = (options = {}) => {
    const s = new Scenario(options);
    const { clientId } = s.ok({ op: 'session.open', ttlMs: 10_000, holder: 'svc-a' });
    return { s, clientId };
  };

  it('opens a session whose client id is its lease, recording both facts', () => {
    const s = new Scenario();
    const answer = s.ok({ op: 'session.open', ttlMs: 10_000 });
    expect(answer).toMatchObject({ clientId: 1, lease: { id: 1, ttlMs: 10_000 } });
    expect(s.applied.at(-1)?.facts.map((fact) => fact.type)).toEqual(['lease.granted', 'session.opened']);
  });

  it('answers a retried proposal from the cache without applying it again', () => {
    const { s, clientId } = opened();
    const first = s.run({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 });
    const retry = s.run({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 });
    expect(retry).toMatchObject({ duplicate: true, events: [], facts: [] });
    expect(retry.response).toEqual(first.response);
    expect(get(s.state, 'a')).toMatchObject({ version: 1 });
    expect(s.machine.revision).toBe(1);
  });

  it('caches refusals too, so a retry sees the same answer', () => {
    const { s, clientId } = opened();
    const first = s.run({ op: 'put', key: 'a', value: '1', lease: 99 }, { clientId, seq: 1 });
    expect(first.response.ok).toBe(false);
    s.ok({ op: 'lease.grant', ttlMs: 5_000 });
    expect(s.run({ op: 'put', key: 'a', value: '1', lease: 99 }, { clientId, seq: 1 }).response).toEqual(
      first.response,
    );
  });

  it('applies pipelined proposals in any order, each once', () => {
    const { s, clientId } = opened();
    s.run({ op: 'put', key: 'b', value: '2' }, { clientId, seq: 2 });
    s.run({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 });
    s.run({ op: 'put', key: 'b', value: '2' }, { clientId, seq: 2 });
    expect([get(s.state, 'a')?.version, get(s.state, 'b')?.version]).toEqual([1, 1]);
  });

  it('forgets responses below the ack and refuses a proposal that old', () => {
    const { s, clientId } = opened();
    s.run({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 });
    s.run({ op: 'put', key: 'a', value: '2' }, { clientId, seq: 2, ack: 2 });
    expect(s.state.sessions.get(clientId)?.floor).toBe(2);
    const stale = s.refused({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 });
    expect(stale.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'stale-sequence',
      details: { seq: 1, floor: 2 },
    });
    expect(get(s.state, 'a')?.value).toBe('2');
  });

  it('keeps at most the response limit, forgetting the oldest', () => {
    const { s, clientId } = opened({ sessionResponseLimit: 2 });
    for (const seq of [1, 2, 3]) s.run({ op: 'put', key: `k${seq}`, value: '' }, { clientId, seq });
    expect([...(s.state.sessions.get(clientId)?.responses.keys() ?? [])].sort()).toEqual([2, 3]);
    expect(s.refused({ op: 'put', key: 'k1', value: '' }, { clientId, seq: 1 }).error.reason).toBe(
      'stale-sequence',
    );
  });

  it('refuses a proposal of an unknown session, applying nothing', () => {
    const s = new Scenario();
    const refused = s.refused({ op: 'put', key: 'a', value: '1' }, { clientId: 42, seq: 1 });
    expect(refused.error).toMatchObject({ code: 'NOT_FOUND', reason: 'session-not-found' });
    expect(get(s.state, 'a')).toBeUndefined();
  });

  it('ends the session with its lease: expiry, then proposals are refused', () => {
    const { s, clientId } = opened();
    s.at(10_000);
    s.ok({ op: 'lease.expire', ids: [clientId] });
    expect(s.applied.at(-1)?.facts.map((fact) => fact.type)).toEqual(['lease.expired', 'session.closed']);
    expect(s.refused({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 }).error.reason).toBe(
      'session-not-found',
    );
  });

  it('stays open while its lease is kept alive', () => {
    const { s, clientId } = opened();
    s.at(9_000);
    s.ok({ op: 'lease.keepalive', id: clientId });
    s.at(15_000);
    expect(s.ok({ op: 'lease.expire', ids: [clientId] }).expired).toEqual([]);
    expect(s.run({ op: 'put', key: 'a', value: '1' }, { clientId, seq: 1 }).response.ok).toBe(true);
  });

  it('closes on request, deleting the keys on its lease', () => {
    const { s, clientId } = opened();
    s.ok({ op: 'put', key: 'eph', value: '1', lease: clientId }, { clientId, seq: 1 });
    expect(s.ok({ op: 'session.close', clientId })).toMatchObject({ closed: true });
    expect(get(s.state, 'eph')).toBeUndefined();
    expect(s.refused({ op: 'session.close', clientId }).error.reason).toBe('session-not-found');
  });
});
