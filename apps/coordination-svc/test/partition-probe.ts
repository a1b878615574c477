import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChaosOperation, LabHost, NetworkLab } from '@kailash/testing';
import { killProcess } from '@kailash/testing';

const ROOT = join(__dirname, '..', '..', '..');
const wallNow = () => performance.timeOrigin + performance.now();

/** What a client stuck on the isolated side saw while its replica was cut off. */
export interface MinorityProbe {
  readonly member: string;
  readonly wasLeader: boolean;
  readonly attempts: number;
  readonly acknowledged: number;
  /** The leader the reachable replicas named just before the link came back. */
  readonly leaderWhileCut: string | undefined;
  readonly from: number;
  readonly to: number;
  /** Writes the other clients had acknowledged (by the majority) while the member was cut off. */
  majorityAcknowledged?: number;
}

interface ProbeLine {
  readonly event: 'invoke' | 'ok' | 'error';
  readonly key: string;
  readonly value: string;
  readonly call: number;
  readonly ret?: number;
}

/** Runs partition-probe-main.ts in a lab host's namespace for as long as that host is cut off. */
export class MinorityProbes {
  readonly results: MinorityProbe[] = [];
  private readonly operations: ChaosOperation[] = [];
  private running:
    | { child: ChildProcess; lines: string[]; member: string; wasLeader: boolean; startedAt: number }
    | undefined;
  private count = 0;

  constructor(
    private readonly lab: NetworkLab,
    private readonly namespace: string,
  ) {}

  start(member: string, host: LabHost, natsUrl: string, wasLeader: boolean, keys: readonly string[]): void {
    const script = join(__dirname, 'partition-probe-main.ts');
    const args = [
      '--enable-source-maps',
      '-r',
      '@swc-node/register',
      script,
      natsUrl,
      this.namespace,
      `m${member}x${this.count++}`,
      ...keys,
    ];
    const [command, commandArgs] = this.lab.command(host, process.execPath, args);
    const child = spawn(command, commandArgs, {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'] ?? '',
        SWC_NODE_PROJECT: join(ROOT, 'tools', 'bench', 'tsconfig.json'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let partial = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      const parts = (partial + chunk.toString()).split('\n');
      partial = parts.pop() ?? '';
      lines.push(...parts);
    });
    this.running = { child, lines, member, wasLeader, startedAt: wallNow() };
  }

  /** Kills the probe (before the link comes back) and keeps what it saw. */
  async stop(leaderWhileCut?: string): Promise<void> {
    const run = this.running;
    if (!run) return;
    this.running = undefined;
    await killProcess(run.child);
    const parsed = run.lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as ProbeLine);
    const acknowledged = parsed.filter((p) => p.event === 'ok');
    for (const invoke of parsed.filter((p) => p.event === 'invoke')) {
      const ok = acknowledged.find((a) => a.value === invoke.value);
      this.operations.push({
        clientId: 1_000 + this.count,
        input: { op: 'put', key: invoke.key, value: invoke.value },
        output: ok ? {} : undefined,
        call: invoke.call,
        ret: ok?.ret ?? Number.POSITIVE_INFINITY,
      });
    }
    this.results.push({
      member: run.member,
      wasLeader: run.wasLeader,
      attempts: parsed.filter((p) => p.event === 'invoke').length,
      acknowledged: acknowledged.length,
      leaderWhileCut,
      from: run.startedAt,
      to: wallNow(),
    });
  }

  history(): readonly ChaosOperation[] {
    return this.operations;
  }
}
