import type { ChildProcess } from 'node:child_process';
import type { ChaosCluster } from './fault-schedule';
import { killProcess, pauseProcess, resumeProcess } from './process-signals';

/** One replica as the chaos harness runs it: how to (re)start it and what it says about leadership. */
export interface ReplicaSpec {
  readonly id: string;
  /** Starts the process from the replica's own data directory (a restart keeps its WAL). */
  spawn(): ChildProcess;
  /** The replica's own view: the leader it knows and the term, or undefined when it does not answer. */
  probe(): Promise<
    { readonly leader: string | undefined; readonly term: number; readonly ready?: boolean } | undefined
  >;
}

/** Cuts and heals one replica's network link (a network lab host per replica). */
export interface ReplicaNetwork {
  cut(member: string): void | Promise<void>;
  heal(member: string): void | Promise<void>;
}

/**
 * Real replica processes under signals: kill -9, SIGSTOP/SIGCONT and restarts. The leader is the
 * one named by the highest-term answer among running, unpaused replicas, and only when the named
 * replica is itself running and agrees.
 */
export class ProcessCluster implements ChaosCluster {
  readonly members: readonly string[];
  private readonly children = new Map<string, ChildProcess>();
  private readonly paused = new Set<string>();
  private readonly output = new Map<string, string>();

  readonly isolate?: (member: string) => Promise<void>;
  readonly reconnect?: (member: string) => Promise<void>;

  constructor(
    private readonly specs: readonly ReplicaSpec[],
    network?: ReplicaNetwork,
  ) {
    this.members = specs.map((s) => s.id);
    if (network) {
      this.isolate = async (member) => await network.cut(member);
      this.reconnect = async (member) => await network.heal(member);
    }
  }

  startAll(): void {
    for (const spec of this.specs) this.start(spec);
  }

  async leader(): Promise<string | undefined> {
    const views = await Promise.all(
      this.specs.map(async (spec) =>
        this.isServing(spec.id) ? { id: spec.id, view: await spec.probe() } : undefined,
      ),
    );
    const answers = views.filter((v) => v?.view !== undefined) as {
      id: string;
      view: { leader?: string; term: number };
    }[];
    answers.sort((a, b) => b.view.term - a.view.term);
    const named = answers[0]?.view.leader;
    if (named === undefined || !this.isServing(named)) return undefined;
    const self = answers.find((a) => a.id === named);
    return self?.view.leader === named ? named : undefined;
  }

  async whole(): Promise<boolean> {
    if (!this.specs.every((spec) => this.isServing(spec.id))) return false;
    const views = await Promise.all(this.specs.map((spec) => spec.probe()));
    const leader = views[0]?.leader;
    return leader !== undefined && views.every((view) => view?.leader === leader && view.ready !== false);
  }

  async kill(member: string): Promise<void> {
    const child = this.children.get(member);
    if (child) await killProcess(child);
    this.children.delete(member);
  }

  async restart(member: string): Promise<void> {
    this.start(this.spec(member));
  }

  pause(member: string): void {
    const child = this.children.get(member);
    if (child) pauseProcess(child);
    this.paused.add(member);
  }

  resume(member: string): void {
    const child = this.children.get(member);
    if (child) resumeProcess(child);
    this.paused.delete(member);
  }

  /** Process ids of the running replicas (for CPU accounting). */
  pids(): Map<string, number> {
    const pids = new Map<string, number>();
    for (const [member, child] of this.children) if (child.pid !== undefined) pids.set(member, child.pid);
    return pids;
  }

  /** The last lines a replica wrote, for a failure message. */
  tail(member: string, chars = 3_000): string {
    return (this.output.get(member) ?? '').slice(-chars);
  }

  async stopAll(): Promise<void> {
    for (const member of this.paused) this.resume(member);
    await Promise.all([...this.children.keys()].map((m) => this.kill(m)));
  }

  private start(spec: ReplicaSpec): void {
    const child = spec.spawn();
    const append = (chunk: Buffer) => {
      const text = (this.output.get(spec.id) ?? '') + chunk.toString();
      this.output.set(spec.id, text.length > 200_000 ? text.slice(-100_000) : text);
    };
    child.stdout?.on('data', append);
    child.stderr?.on('data', append);
    this.children.set(spec.id, child);
  }

  private isServing(member: string): boolean {
    const child = this.children.get(member);
    return child !== undefined && child.exitCode === null && !this.paused.has(member);
  }

  private spec(member: string): ReplicaSpec {
    const spec = this.specs.find((s) => s.id === member);
    if (!spec) throw new Error(`no replica ${member}`);
    return spec;
  }
}
