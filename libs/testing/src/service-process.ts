import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';
import { eventually } from './test-nats';

/** A built service running as its own process, as users and containers run it. */
export interface ServiceProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything it wrote to stdout and stderr so far. */
  output(): string;
  /** Resolves when `/health/ready` answers 200; rejects after `timeoutMs`. */
  ready(timeoutMs?: number): Promise<void>;
  /** kill -9: no shutdown hooks, no drain, as a crash or an OOM kill. */
  crash(): Promise<void>;
  stop(): Promise<void>;
}

/** Builds an app with the workspace's SWC build into dist/apps/<app>/ (see tools/scripts/build-app.mjs). */
export function buildApp(root: string, app: string): string {
  execFileSync(process.execPath, [join(root, 'tools', 'scripts', 'build-app.mjs'), app], { cwd: root });
  return join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js');
}

export function startServiceProcess(main: string, port: number, env: Record<string, string>): ServiceProcess {
  let output = '';
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return {
    url,
    child,
    output: () => output,
    ready: async (timeoutMs = 60_000) => {
      await eventually(
        `${main} ready on ${url}`,
        () =>
          fetch(`${url}/health/ready`).then(
            (r) => r.status,
            () => (child.exitCode === null ? 0 : -1),
          ),
        (status) => status === 200 || status === -1,
        timeoutMs,
      ).then((status) => {
        if (status === -1) throw new Error(`${main} exited before it was ready:\n${output.slice(-2000)}`);
      });
    },
    crash: () => end('SIGKILL'),
    stop: () => end('SIGTERM'),
  };
}
