import type { INestApplication } from '@nestjs/common';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { freePort } from '../free-port';
import { withTimeout } from './with-timeout';

/** One running incarnation of an instance; a restart replaces it with a new one. */
export interface InstanceRunner {
  readonly url: string;
  readonly app?: INestApplication;
  /** What a process wrote to stdout and stderr so far (empty in-process). */
  output(): string;
  stop(timeoutMs: number): Promise<void>;
  kill(timeoutMs: number): Promise<void>;
}

/** A listening Nest app in this process. */
export function inProcessRunner(app: INestApplication, url: string): InstanceRunner {
  return {
    url,
    app,
    output: () => '',
    stop: (timeoutMs) => withTimeout(app.close(), timeoutMs, 'closing the in-process instance'),
    kill: () =>
      Promise.reject(
        new Error('an in-process instance cannot die abruptly; start it as a process to kill it'),
      ),
  };
}

/**
 * Spawns `node <main>` on a free port with exactly `env` (plus PATH) and resolves once its
 * readiness endpoint answers 200; a process that exits or stays unready is reported with its output.
 */
export async function spawnProcessRunner(
  main: string,
  env: Readonly<Record<string, string>>,
  startTimeoutMs: number,
): Promise<InstanceRunner> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const child = spawn(process.execPath, [main], {
    env: { PATH: process.env['PATH'] ?? '', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const runner: InstanceRunner = {
    url,
    output: () => output,
    stop: (timeoutMs) => terminate(child, 'SIGTERM', timeoutMs),
    kill: (timeoutMs) => terminate(child, 'SIGKILL', timeoutMs),
  };
  try {
    await untilReady(child, url, startTimeoutMs, () => output);
  } catch (error) {
    await runner.kill(5_000).catch(() => undefined);
    throw error;
  }
  return runner;
}

async function untilReady(child: ChildProcess, url: string, timeoutMs: number, output: () => string) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null)
      throw new Error(
        `the process exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`,
      );
    const status = await fetch(`${url}/health/ready`, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => response.status,
      () => 0,
    );
    if (status === 200) return;
    if (Date.now() > deadline)
      throw new Error(
        `the process was not ready within ${timeoutMs} ms (last status ${status}):\n${output()}`,
      );
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends `signal` and waits for the exit; a process still alive after the timeout is killed. */
function terminate(child: ChildProcess, signal: NodeJS.Signals, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill(signal);
  });
}
