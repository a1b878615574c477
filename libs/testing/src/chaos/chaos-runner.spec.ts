import { seededRandom } from '@kailash/random';
import { type ChaosCluster, type ChaosKv, type FaultKind, HistoryRecorder, runChaosScenario } from './index';

type Flaw = 'none' | 'new-leader-misses-recent-writes' | 'stale-follower-reads';

/**
 * An in-process stand-in for a replicated register store, only to exercise the chaos runner's own
 * pieces: members can be killed, paused and restarted; a flaw makes it misbehave on purpose.
 */
class FakeCluster implements ChaosCluster {
  readonly members = ['a', 'b', 'c'];
  readonly down = new Set<string>();
  readonly paused = new Set<string>();
  readonly log: string[] = [];
  private current: string | undefined = 'a';
  private readonly store = new Map<string, string>();
  private readonly stale = new Map<string, string>();
  /** What a new leader would hold if the old one never replicated: the store at the last change. */
  private replicated = new Map<string, string>();

  constructor(private readonly flaw: Flaw) {}

  async leader() {
    return this.current;
  }
  async kill(member: string) {
    this.log.push(`kill ${member}`);
    this.down.add(member);
    if (member === this.current) this.loseLeadership();
  }
  async restart(member: string) {
    this.log.push(`restart ${member}`);
    this.down.delete(member);
  }
  pause(member: string) {
    this.log.push(`pause ${member}`);
    this.paused.add(member);
    if (member === this.current) this.loseLeadership();
  }
  resume(member: string) {
    this.log.push(`resume ${member}`);
    this.paused.delete(member);
  }

  client(index: number): ChaosKv {
    const serve = async <T>(action: () => T): Promise<T> => {
      await new Promise((resolve) => setTimeout(resolve, 1 + (index % 3)));
      if (this.current === undefined) throw new Error('no leader');
      return action();
    };
    return {
      get: (key) =>
        serve(
          () =>
            (this.flaw === 'stale-follower-reads' && index % 2 === 1 ? this.stale : this.store).get(key) ??
            null,
        ),
      put: (key, value) => serve(() => this.write(key, value)),
      cas: (key, expected, value) =>
        serve(() => {
          if ((this.store.get(key) ?? null) !== expected) return false;
          this.write(key, value);
          return true;
        }),
    };
  }

  private write(key: string, value: string) {
    if (!this.stale.has(key)) this.stale.set(key, value);
    this.store.set(key, value);
  }

  private loseLeadership() {
    if (this.flaw === 'new-leader-misses-recent-writes') {
      this.store.clear();
      for (const [key, value] of this.replicated) this.store.set(key, value);
    }
    this.replicated = new Map(this.store);
    const next = this.members.find((m) => m !== this.current && !this.down.has(m) && !this.paused.has(m));
    this.current = next;
  }
}

const KINDS: FaultKind[] = ['kill-leader', 'pause-leader', 'kill-follower'];

async function chaosRun(flaw: Flaw, faultCount: number) {
  const cluster = new FakeCluster(flaw);
  let tick = 0;
  let clientIndex = 0;
  const result = await runChaosScenario({
    cluster,
    connect: async () => ({ ...cluster.client(clientIndex++), close: async () => undefined }),
    clients: 4,
    keys: ['k0', 'k1'],
    kinds: KINDS,
    maxFaults: faultCount,
    durationMs: Number.POSITIVE_INFINITY,
    downMs: 0,
    pauseMs: 0,
    healMs: 20,
    random: seededRandom(7),
    now: () => tick++,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(ms, 3))),
  });
  return { cluster, faults: result.faults, summary: result.summary, verdict: result.verdict };
}

describe('chaos runner pieces (against an in-process fake store)', () => {
  it('injects the fault kinds in turn and heals each before the next', async () => {
    const { cluster, faults } = await chaosRun('none', 6);
    expect(faults.faults.map((f) => f.kind)).toEqual([...KINDS, ...KINDS]);
    expect(cluster.down.size).toBe(0);
    expect(cluster.paused.size).toBe(0);
    for (const fault of faults.faults.filter((f) => f.kind === 'kill-follower'))
      expect(cluster.log).toContain(`kill ${fault.member}`);
    expect(cluster.log.filter((line) => line.startsWith('kill')).length).toBe(
      cluster.log.filter((line) => line.startsWith('restart')).length,
    );
  });

  it('passes a correct store: linearizable, no acknowledged write lost', async () => {
    const { verdict, summary } = await chaosRun('none', 6);
    expect(summary.acknowledgedWrites).toBeGreaterThan(10);
    expect(verdict.linearizable).toBe(true);
    expect(verdict.lostWrites).toEqual([]);
  });

  it('catches a store that forgets an acknowledged write when its leader dies', async () => {
    // Whether a read lands after a lost write depends on real timer order, so give it more leader changes.
    const { verdict } = await chaosRun('new-leader-misses-recent-writes', 12);
    expect(verdict.linearizable).toBe(false);
    expect(verdict.counterexample.length).toBeGreaterThan(0);
  });

  it('catches stale reads', async () => {
    const { verdict } = await chaosRun('stale-follower-reads', 3);
    expect(verdict.linearizable).toBe(false);
  });

  it('keeps a failed write as pending forever and drops a failed read', async () => {
    let tick = 0;
    const recorder = new HistoryRecorder(() => tick++);
    const fail = () => Promise.reject(new Error('timeout'));
    await recorder.record(0, { op: 'put', key: 'x', value: '1' }, fail);
    await recorder.record(0, { op: 'get', key: 'x' }, fail);
    expect(recorder.operations()).toEqual([
      { clientId: 0, input: { op: 'put', key: 'x', value: '1' }, output: undefined, call: 0, ret: Infinity },
    ]);
    expect(recorder.summary()).toMatchObject({ unknownWrites: 1, failedReads: 1, completed: 0 });
  });
});
