import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AgentLaunch } from './agent-launch';

export type AgentState = 'starting' | 'ready' | 'draining' | 'exited';

export interface AgentStatus {
  readonly edgeId: string;
  readonly pid: number | undefined;
  readonly port: number;
  readonly state: AgentState;
  readonly exit?: { readonly code: number | null; readonly signal: NodeJS.Signals | null };
}

/** How an agent ended when the fleet drained. */
export interface DrainReport {
  readonly edgeId: string;
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly ms: number;
  /** It did not exit within the grace period and was killed. */
  readonly killed: boolean;
  /** It had ended before the drain began (crashed, or killed from outside). */
  readonly endedBefore: boolean;
}

interface Running {
  readonly launch: AgentLaunch;
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  state: AgentState;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
}

/** One process per agent, each logging to its own file; drained with SIGTERM, as an orchestrator would. */
export class AgentProcesses {
  private readonly agents: Running[] = [];

  start(main: string, launches: readonly AgentLaunch[]): void {
    for (const launch of launches) {
      mkdirSync(dirname(launch.logFile), { recursive: true });
      mkdirSync(launch.dataDir, { recursive: true });
      const log = openSync(launch.logFile, 'a');
      const child = spawn(process.execPath, ['--enable-source-maps', main], {
        env: { PATH: process.env['PATH'] ?? '', ...launch.env },
        stdio: ['ignore', log, log],
        // Its own process group: a Ctrl-C in the terminal reaches the runner only, which drains the
        // agents itself with SIGTERM and reports how each ended.
        detached: true,
      });
      closeSync(log);
      const agent: Running = {
        launch,
        child,
        state: 'starting',
        exited: new Promise((resolve) =>
          child.once('exit', (code, signal) => {
            agent.state = 'exited';
            agent.exit = { code, signal };
            resolve();
          }),
        ),
      };
      this.agents.push(agent);
    }
  }

  /** Asks every agent that is not ready yet; resolves once all are ready, rejects naming those that are not. */
  async waitReady(
    timeoutMs: number,
    onWait: (status: AgentStatus[]) => void = () => undefined,
  ): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await Promise.all(
        this.agents.filter((agent) => agent.state === 'starting').map((agent) => probe(agent)),
      );
      const exited = this.agents.filter((agent) => agent.state === 'exited');
      if (exited.length > 0)
        throw new Error(`${exited.map(describeExit).join('; ')} before ready (see their logs)`);
      if (this.agents.every((agent) => agent.state === 'ready')) return;
      if (Date.now() > deadline) {
        const late = this.agents
          .filter((agent) => agent.state !== 'ready')
          .map((agent) => agent.launch.edgeId);
        throw new Error(`not ready after ${timeoutMs} ms: ${late.join(', ')}`);
      }
      onWait(this.status());
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }

  /** Last resort when the runner itself exits: no agent is left running without it. */
  terminateAll(): void {
    for (const agent of this.agents) if (agent.state !== 'exited') agent.child.kill('SIGTERM');
  }

  status(): AgentStatus[] {
    return this.agents.map((agent) => ({
      edgeId: agent.launch.edgeId,
      pid: agent.child.pid,
      port: agent.launch.port,
      state: agent.state,
      ...(agent.exit ? { exit: agent.exit } : {}),
    }));
  }

  /**
   * SIGTERM to every agent still running, all at once (each drains its own work in parallel), then
   * waits; an agent still there after `graceMs` is killed and reported so.
   */
  async drain(graceMs: number): Promise<DrainReport[]> {
    const started = Date.now();
    return Promise.all(
      this.agents.map(async (agent): Promise<DrainReport> => {
        let killed = false;
        const endedBefore = agent.state === 'exited';
        if (!endedBefore) {
          agent.state = 'draining';
          agent.child.kill('SIGTERM');
          const timer = setTimeout(() => {
            killed = true;
            agent.child.kill('SIGKILL');
          }, graceMs);
          await agent.exited;
          clearTimeout(timer);
        }
        return {
          edgeId: agent.launch.edgeId,
          code: agent.exit?.code ?? null,
          signal: agent.exit?.signal ?? null,
          ms: Date.now() - started,
          killed,
          endedBefore,
        };
      }),
    );
  }
}

async function probe(agent: Running): Promise<void> {
  try {
    const response = await fetch(`http://127.0.0.1:${agent.launch.port}/health/ready`, {
      signal: AbortSignal.timeout(2000),
    });
    if (response.status === 200 && agent.state === 'starting') agent.state = 'ready';
  } catch {
    // Not listening yet: asked again on the next round.
  }
}

function describeExit(agent: Running): string {
  const how = agent.exit?.signal ? `signal ${agent.exit.signal}` : `code ${agent.exit?.code}`;
  return `${agent.launch.edgeId} exited (${how}; log ${agent.launch.logFile})`;
}
