import type { GroupMember, GroupTimers, Timing } from './notify-policy';
import { shouldNotify, signatureOf } from './notify-policy';

const timing: Timing = { groupWaitMs: 30_000, groupIntervalMs: 300_000, repeatIntervalMs: 3600_000 };
const warning: GroupMember = { fingerprint: 'a', state: 'firing', severity: 'warning', severityRank: 1 };
const sent = (members: GroupMember[], at: number, severity = 1): GroupTimers => ({
  createdAt: 0,
  lastSentAt: at,
  lastSignature: signatureOf(members),
  lastSeverity: severity,
});

describe('notification timers (Alertmanager group_wait / group_interval / repeat_interval)', () => {
  const fresh: GroupTimers = { createdAt: 0, lastSentAt: null, lastSignature: null, lastSeverity: -1 };

  it('waits group_wait before the first notification of a group', () => {
    expect(shouldNotify(fresh, [warning], timing, 29_999)).toBe(false);
    expect(shouldNotify(fresh, [warning], timing, 30_000)).toBe(true);
  });

  it('never sends a group whose alerts resolved inside group_wait', () => {
    expect(shouldNotify(fresh, [{ ...warning, state: 'resolved' }], timing, 60_000)).toBe(false);
  });

  it('sends a change once group_interval passed, an unchanged group at repeat_interval', () => {
    const other: GroupMember = { ...warning, fingerprint: 'b' };
    const timers = sent([warning], 100_000);
    expect(shouldNotify(timers, [warning, other], timing, 399_999)).toBe(false);
    expect(shouldNotify(timers, [warning, other], timing, 400_000)).toBe(true);
    expect(shouldNotify(timers, [warning], timing, 400_000)).toBe(false);
    expect(shouldNotify(timers, [warning], timing, 3_700_000)).toBe(true);
  });

  it('sends a resolve as a change, and never repeats a group with nothing firing', () => {
    const resolved = { ...warning, state: 'resolved' as const };
    const timers = sent([warning], 0);
    expect(shouldNotify(timers, [resolved], timing, 300_000)).toBe(true);
    expect(shouldNotify(sent([], 0, -1), [], timing, 10_000_000)).toBe(false);
  });

  it('sends a rise in severity at once, through group_interval and repeat_interval', () => {
    const critical: GroupMember = { ...warning, severity: 'critical', severityRank: 2 };
    expect(shouldNotify(sent([warning], 100_000), [critical], timing, 100_001)).toBe(true);
    // A fall is an ordinary change: it waits for group_interval.
    expect(shouldNotify(sent([critical], 100_000, 2), [warning], timing, 100_001)).toBe(false);
  });
});
