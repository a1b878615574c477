import { dueLeases, get, leaseInfo, leases, nextLeaseDeadline } from './queries';
import { Scenario, T0 } from './test/scenario';

describe('leases, given / when / then', () => {
  it('grants a lease whose id is its fencing token, increasing and never reused', () => {
    const s = new Scenario();
    const first = s.ok({ op: 'lease.grant', ttlMs: 5_000, holder: 'worker-1' });
    expect(first.lease).toEqual({
      id: 1,
      holder: 'worker-1',
      ttlMs: 5_000,
      grantedAt: T0,
      expiresAt: T0 + 5_000,
    });
    s.ok({ op: 'lease.revoke', id: 1 });
    expect(s.ok({ op: 'lease.grant', ttlMs: 5_000 }).lease.id).toBe(2);
    expect(s.applied.at(-1)?.facts).toEqual([
      { type: 'lease.granted', lease: expect.objectContaining({ id: 2 }) },
    ]);
  });

  it('names the holder anonymous, or the session client, when none is given', () => {
    const s = new Scenario();
    expect(s.ok({ op: 'lease.grant', ttlMs: 5_000 }).lease.holder).toBe('anonymous');
    const { clientId } = s.ok({ op: 'session.open', ttlMs: 5_000 });
    const stamped = s.ok({ op: 'lease.grant', ttlMs: 5_000 }, { clientId, seq: 1 });
    expect(stamped.lease.holder).toBe(`client-${clientId}`);
  });

  it('moves the deadline on keep-alive, measured from the leader time of that entry', () => {
    const s = new Scenario();
    const id = s.lease(10_000);
    s.at(4_000);
    expect(s.ok({ op: 'lease.keepalive', id }).lease.expiresAt).toBe(T0 + 14_000);
    expect(leaseInfo(s.state, id, T0 + 5_000)).toMatchObject({ remainingMs: 9_000, expiresAt: T0 + 14_000 });
  });

  it('refuses a keep-alive of a lapsed lease the leader has not expired yet', () => {
    const s = new Scenario();
    const id = s.lease(10_000);
    s.at(10_000);
    const refused = s.refused({ op: 'lease.keepalive', id });
    expect(refused.error).toMatchObject({
      code: 'CONFLICT',
      reason: 'expired',
      details: { lease: id, expiresAt: T0 + 10_000 },
    });
  });

  it('never expires a lease on its own: past the deadline it stays until the leader proposes expiry', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.ok({ op: 'put', key: 'k', value: 'v', lease: id });
    s.at(60_000);
    s.ok({ op: 'put', key: 'other', value: 'x' });
    expect(get(s.state, 'k')).toBeDefined();
    expect(leases(s.state).map((lease) => lease.id)).toEqual([id]);
  });

  it('the leader finds due leases at its clock, oldest deadline first', () => {
    const s = new Scenario();
    const long = s.lease(9_000);
    const short = s.lease(2_000);
    const mid = s.lease(5_000);
    expect(dueLeases(s.state, T0 + 1_999)).toEqual([]);
    expect(dueLeases(s.state, T0 + 5_000)).toEqual([short, mid]);
    expect(dueLeases(s.state, T0 + 9_000, 2)).toEqual([short, mid]);
    expect(dueLeases(s.state, T0 + 9_000)).toEqual([short, mid, long]);
    expect(nextLeaseDeadline(s.state)).toBe(T0 + 2_000);
  });

  it('expiry deletes the attached keys in one revision and records the fact', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.ok({ op: 'put', key: 'b', value: '1', lease: id });
    s.ok({ op: 'put', key: 'a', value: '1', lease: id });
    s.ok({ op: 'put', key: 'free', value: '1' });
    s.at(1_000);
    const answer = s.ok({ op: 'lease.expire', ids: dueLeases(s.state, s.now) });
    expect(answer).toMatchObject({ expired: [id], revision: 4 });
    const applied = s.applied.at(-1);
    expect(applied?.events.map((event) => [event.type, event.kv.key, event.revision])).toEqual([
      ['DELETE', 'a', 4],
      ['DELETE', 'b', 4],
    ]);
    expect(applied?.facts).toEqual([
      { type: 'lease.expired', lease: expect.objectContaining({ id }), deletedKeys: 2 },
    ]);
    expect(get(s.state, 'free')).toBeDefined();
    expect(leaseInfo(s.state, id, s.now)).toBeUndefined();
  });

  it('leaves a lease kept alive after the leader found it due (the entry time decides)', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.at(999);
    s.ok({ op: 'lease.keepalive', id });
    s.at(1_500);
    expect(s.ok({ op: 'lease.expire', ids: [id] }).expired).toEqual([]);
    expect(leaseInfo(s.state, id, s.now)).toBeDefined();
  });

  it('does not let time go back: an entry stamped earlier than the last is judged at the later time', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.at(2_000);
    s.ok({ op: 'put', key: 'x', value: '1' });
    s.at(500);
    expect(s.ok({ op: 'lease.expire', ids: [id] }).expired).toEqual([id]);
    expect(s.state.now).toBe(T0 + 2_000);
  });

  it('revoke deletes the keys and records a revocation; a second revoke finds no lease', () => {
    const s = new Scenario();
    const id = s.lease();
    s.ok({ op: 'put', key: 'a', value: '1', lease: id });
    expect(s.ok({ op: 'lease.revoke', id })).toMatchObject({ deletedKeys: 1, revision: 2 });
    expect(s.applied.at(-1)?.facts[0]).toMatchObject({ type: 'lease.revoked' });
    expect(s.refused({ op: 'lease.revoke', id }).error.reason).toBe('lease-not-found');
  });

  it('revoke of a lapsed lease records it as expired', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.at(1_000);
    s.ok({ op: 'lease.revoke', id });
    expect(s.applied.at(-1)?.facts[0]).toMatchObject({ type: 'lease.expired' });
  });

  it('moves a key from one lease to another, or off leases, on put', () => {
    const s = new Scenario();
    const one = s.lease();
    const two = s.lease();
    s.ok({ op: 'put', key: 'k', value: '1', lease: one });
    s.ok({ op: 'put', key: 'k', value: '2', lease: two });
    expect(leaseInfo(s.state, one, s.now)?.keys).toEqual([]);
    expect(leaseInfo(s.state, two, s.now)?.keys).toEqual(['k']);
    s.ok({ op: 'put', key: 'k', value: '3' });
    expect(leaseInfo(s.state, two, s.now)?.keys).toEqual([]);
    s.ok({ op: 'lease.revoke', id: two });
    expect(get(s.state, 'k')?.value).toBe('3');
  });

  it('refuses a put on a lapsed lease', () => {
    const s = new Scenario();
    const id = s.lease(1_000);
    s.at(1_000);
    expect(s.refused({ op: 'put', key: 'a', value: '1', lease: id }).error.reason).toBe('expired');
  });

  describe('fenced writes', () => {
    it('let a write through while the fencing lease is live', () => {
      const s = new Scenario();
      const id = s.lease(1_000);
      s.ok({ op: 'put', key: 'a', value: '1', fence: { lease: id } });
      s.ok({ op: 'delete', range: { key: 'a' }, fence: { lease: id } });
      expect(s.machine.revision).toBe(2);
    });

    it('refuse a write once the fencing lease lapsed, ended or never existed', () => {
      const s = new Scenario();
      const id = s.lease(1_000);
      s.at(1_000);
      expect(s.refused({ op: 'put', key: 'a', value: '1', fence: { lease: id } }).error.reason).toBe(
        'expired',
      );
      s.ok({ op: 'lease.expire', ids: [id] });
      expect(s.refused({ op: 'cas', key: 'a', value: '1', fence: { lease: id } }).error.reason).toBe(
        'lease-not-found',
      );
      const txn = { op: 'txn' as const, compare: [], success: [], failure: [], fence: { lease: 77 } };
      expect(s.refused(txn).error.reason).toBe('lease-not-found');
      expect(get(s.state, 'a')).toBeUndefined();
    });
  });
});
