/** A fault the scheduler injects; each is healed before the next one starts. */
export type FaultKind =
  'kill-leader' | 'pause-leader' | 'kill-follower' | 'isolate-follower' | 'isolate-leader';

/** The replica processes under test, as the fault scheduler drives them. */
export interface ChaosCluster {
  readonly members: readonly string[];
  /** The replica every reachable member names as leader, if there is one now. */
  leader(): Promise<string | undefined>;
  /** kill -9. */
  kill(member: string): Promise<void>;
  /** Starts a killed member again from its own data directory. */
  restart(member: string): Promise<void>;
  /** SIGSTOP / SIGCONT. */
  pause(member: string): void;
  resume(member: string): void;
  /** True when every member is up and names the same leader: the cluster is whole again. */
  whole?(): Promise<boolean>;
  /** Cuts / restores the member's network link (only clusters that run in network namespaces). */
  isolate?(member: string): Promise<void>;
  reconnect?(member: string): Promise<void>;
}

export interface FaultScheduleOptions {
  readonly kinds: readonly FaultKind[];
  /** How long a killed member stays down, and how long a partition lasts. */
  readonly downMs: number;
  /** How long a paused leader stays stopped: longer than the election timeout. */
  readonly pauseMs: number;
  /** Quiet time after each heal, so the cluster serves between faults. */
  readonly healMs: number;
  /** Longest wait for a leader before a leader fault; the fault is skipped (and counted) after it. */
  readonly leaderWaitMs: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
}

export interface FaultRecord {
  readonly kind: FaultKind;
  readonly member: string;
  readonly at: number;
  readonly healedAt: number;
}

export interface FaultRun {
  readonly faults: FaultRecord[];
  /** Leader faults not injected because no leader was known within leaderWaitMs. */
  readonly skippedNoLeader: number;
}

/**
 * Injects the kinds in turn, one at a time, until `running(injected)` turns false, healing each fault
 * (restart, SIGCONT, reconnect) before the quiet time and the next one.
 */
export async function runFaults(
  cluster: ChaosCluster,
  options: FaultScheduleOptions,
  running: (injected: number) => boolean,
): Promise<FaultRun> {
  const faults: FaultRecord[] = [];
  let skippedNoLeader = 0;
  for (let i = 0; running(faults.length); i++) {
    const kind = options.kinds[i % options.kinds.length] as FaultKind;
    const leader = await waitForLeader(cluster, options);
    const member = kind.endsWith('-leader') ? leader : pickFollower(cluster.members, leader, options.random);
    if (member === undefined) {
      skippedNoLeader++;
      continue;
    }
    const at = options.now();
    await inject(cluster, kind, member, options);
    faults.push({ kind, member, at, healedAt: options.now() });
    // One fault at a time: the next starts only once the healed member is back in the group, so an
    // outage measures the service rather than two overlapping faults (3 replicas tolerate one).
    await waitUntilWhole(cluster, options);
    await options.sleep(options.healMs);
  }
  return { faults, skippedNoLeader };
}

async function inject(cluster: ChaosCluster, kind: FaultKind, member: string, options: FaultScheduleOptions) {
  switch (kind) {
    case 'kill-leader':
    case 'kill-follower':
      await cluster.kill(member);
      await options.sleep(options.downMs);
      await cluster.restart(member);
      return;
    case 'pause-leader':
      cluster.pause(member);
      await options.sleep(options.pauseMs);
      cluster.resume(member);
      return;
    case 'isolate-follower':
    case 'isolate-leader':
      if (!cluster.isolate || !cluster.reconnect)
        throw new Error(`${kind}: this cluster has no network control`);
      await cluster.isolate(member);
      await options.sleep(options.downMs);
      await cluster.reconnect(member);
  }
}

async function waitForLeader(
  cluster: ChaosCluster,
  options: FaultScheduleOptions,
): Promise<string | undefined> {
  const deadline = options.now() + options.leaderWaitMs;
  for (;;) {
    const leader = await cluster.leader();
    if (leader !== undefined || options.now() >= deadline) return leader;
    await options.sleep(50);
  }
}

async function waitUntilWhole(cluster: ChaosCluster, options: FaultScheduleOptions): Promise<void> {
  if (!cluster.whole) return;
  const deadline = options.now() + options.leaderWaitMs;
  while (!(await cluster.whole()) && options.now() < deadline) await options.sleep(100);
}

function pickFollower(members: readonly string[], leader: string | undefined, random: () => number) {
  const followers = members.filter((m) => m !== leader);
  return followers[Math.floor(random() * followers.length)];
}
