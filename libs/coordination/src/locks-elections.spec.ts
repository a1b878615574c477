import { electionLeader, getLeader, lockKey, lockOwner, range } from './queries';
import { Scenario, T0 } from './test/scenario';

describe('locks, given / when / then', () => {
  it('gives a free lock to the first lease, its token the waiter key create revision (a grant writes no key)', () => {
    const s = new Scenario();
    const lease = s.lease();
    const answer = s.ok({ op: 'lock.acquire', name: 'jobs', lease });
    expect(answer).toMatchObject({ key: lockKey('jobs', lease), token: 1, acquired: true, revision: 1 });
    expect(s.applied.at(-1)?.facts).toEqual([{ type: 'lock.acquired', owner: answer.owner }]);
  });

  it('queues a second lease, then hands the lock over when the owner releases', () => {
    const s = new Scenario();
    const first = s.lease();
    const second = s.lease();
    s.ok({ op: 'lock.acquire', name: 'jobs', lease: first });
    const waiting = s.ok({ op: 'lock.acquire', name: 'jobs', lease: second });
    expect(waiting).toMatchObject({ acquired: false, owner: { lease: first } });
    expect(s.applied.at(-1)?.facts).toEqual([]);
    expect(s.ok({ op: 'lock.release', name: 'jobs', lease: first }).released).toBe(true);
    expect(s.applied.at(-1)?.facts).toEqual([
      { type: 'lock.released', owner: expect.objectContaining({ lease: first, token: 1 }) },
      { type: 'lock.acquired', owner: expect.objectContaining({ lease: second, token: 2 }) },
    ]);
    expect(lockOwner(s.state, 'jobs')).toMatchObject({ lease: second, token: waiting.token });
  });

  it('acquires again with the same lease without a new key or revision', () => {
    const s = new Scenario();
    const lease = s.lease();
    const first = s.ok({ op: 'lock.acquire', name: 'jobs', lease });
    const again = s.ok({ op: 'lock.acquire', name: 'jobs', lease });
    expect(again).toMatchObject({ token: first.token, acquired: true, revision: first.revision });
  });

  it('releases the lock when the owner lease expires, with strictly greater tokens after', () => {
    const s = new Scenario();
    const owner = s.lease(1_000);
    const next = s.lease(60_000);
    const held = s.ok({ op: 'lock.acquire', name: 'jobs', lease: owner });
    s.ok({ op: 'lock.acquire', name: 'jobs', lease: next });
    s.at(1_000);
    s.ok({ op: 'lease.expire', ids: [owner] });
    const facts = s.applied.at(-1)?.facts ?? [];
    expect(facts.map((fact) => fact.type)).toEqual(['lease.expired', 'lock.released', 'lock.acquired']);
    expect(lockOwner(s.state, 'jobs')?.token).toBeGreaterThan(held.token);
  });

  it('refuses to queue a lease that does not exist or has lapsed', () => {
    const s = new Scenario();
    expect(s.refused({ op: 'lock.acquire', name: 'jobs', lease: 3 }).error.reason).toBe('lease-not-found');
    const lease = s.lease(1_000);
    s.at(1_000);
    expect(s.refused({ op: 'lock.acquire', name: 'jobs', lease }).error.reason).toBe('expired');
  });

  it('answers released: false for a lease that holds no waiter key', () => {
    const s = new Scenario();
    expect(s.ok({ op: 'lock.release', name: 'jobs', lease: 4 })).toMatchObject({
      released: false,
      revision: 0,
    });
  });

  it('keeps lock keys out of a client delete, but readable', () => {
    const s = new Scenario();
    const lease = s.lease();
    s.ok({ op: 'lock.acquire', name: 'jobs', lease });
    expect(s.ok({ op: 'delete', range: { prefix: '' } }).deleted).toBe(0);
    expect(range(s.state, { range: { prefix: '_coord/lock/jobs/' } }).count).toBe(1);
    expect(lockOwner(s.state, 'jobs')).toBeDefined();
  });

  it('keeps locks of different names apart', () => {
    const s = new Scenario();
    const lease = s.lease();
    s.ok({ op: 'lock.acquire', name: 'a', lease });
    expect(s.ok({ op: 'lock.acquire', name: 'b', lease }).acquired).toBe(true);
    expect(lockOwner(s.state, 'a')?.name).toBe('a');
  });
});

describe('elections, given / when / then', () => {
  it('makes the first candidate leader at term 1, since the entry time', () => {
    const s = new Scenario();
    const lease = s.lease();
    s.at(50);
    const answer = s.ok({ op: 'election.campaign', name: 'primary', lease, value: 'node-a' });
    expect(answer).toMatchObject({ leader: true, current: { value: 'node-a', term: 1, since: T0 + 50 } });
    expect(s.applied.at(-1)?.facts).toEqual([{ type: 'election.leader', leader: answer.current }]);
    expect(getLeader(s.state, 'primary', s.now)).toEqual({
      leader: 'node-a',
      term: 1,
      since: T0 + 50,
      stable: true,
    });
  });

  it('queues a later candidate and promotes it when the leader resigns, at the next term', () => {
    const s = new Scenario();
    const a = s.lease();
    const b = s.lease();
    s.ok({ op: 'election.campaign', name: 'primary', lease: a, value: 'node-a' });
    expect(s.ok({ op: 'election.campaign', name: 'primary', lease: b, value: 'node-b' }).leader).toBe(false);
    s.at(10);
    expect(s.ok({ op: 'election.resign', name: 'primary', lease: a }).resigned).toBe(true);
    expect(electionLeader(s.state, 'primary')).toMatchObject({ value: 'node-b', term: 2, since: T0 + 10 });
  });

  it('proclaims a new value without a new term, refused to a non-leader', () => {
    const s = new Scenario();
    const a = s.lease();
    const b = s.lease();
    s.ok({ op: 'election.campaign', name: 'primary', lease: a, value: 'v1' });
    s.ok({ op: 'election.campaign', name: 'primary', lease: b, value: 'w' });
    expect(s.ok({ op: 'election.proclaim', name: 'primary', lease: a, value: 'v2' }).leader).toMatchObject({
      value: 'v2',
      term: 1,
    });
    expect(s.applied.at(-1)?.facts).toEqual([
      { type: 'election.leader', leader: expect.objectContaining({ value: 'v2', term: 1 }) },
    ]);
    const refused = s.refused({ op: 'election.proclaim', name: 'primary', lease: b, value: 'mine' });
    expect(refused.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'not-leader',
      details: { leaderLease: a },
    });
  });

  it('leaves the election vacant when the leader lease expires, the term kept for the next leader', () => {
    const s = new Scenario();
    const a = s.lease(1_000);
    s.ok({ op: 'election.campaign', name: 'primary', lease: a, value: 'node-a' });
    s.at(1_000);
    expect(getLeader(s.state, 'primary', s.now).stable).toBe(false);
    s.ok({ op: 'lease.expire', ids: [a] });
    expect(s.applied.at(-1)?.facts).toContainEqual({ type: 'election.vacant', name: 'primary', term: 1 });
    expect(getLeader(s.state, 'primary', s.now)).toEqual({
      leader: undefined,
      term: 1,
      since: undefined,
      stable: false,
    });
    const b = s.lease();
    s.ok({ op: 'election.campaign', name: 'primary', lease: b, value: 'node-b' });
    expect(electionLeader(s.state, 'primary')).toMatchObject({ value: 'node-b', term: 2 });
  });

  it('refuses a campaign on a missing lease', () => {
    const s = new Scenario();
    expect(s.refused({ op: 'election.campaign', name: 'p', lease: 1, value: 'x' }).error.reason).toBe(
      'lease-not-found',
    );
    expect(getLeader(s.state, 'p', s.now)).toEqual({
      leader: undefined,
      term: 0,
      since: undefined,
      stable: false,
    });
  });

  it('emits the key changes of an election as watch events an observer can follow', () => {
    const s = new Scenario();
    const a = s.lease();
    s.ok({ op: 'election.campaign', name: 'primary', lease: a, value: 'node-a' });
    expect(s.applied.at(-1)?.events).toEqual([
      expect.objectContaining({ type: 'PUT', kv: expect.objectContaining({ value: 'node-a', lease: a }) }),
    ]);
  });
});
