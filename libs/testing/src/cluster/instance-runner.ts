import type { INestApplication } from '@nestjs/common';
import { freePort } from '../free-port';
import { startServiceProcess } from '../service-process';
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
 * Runs `node <main>` on a free port with exactly `env` (plus PATH) and resolves once its readiness
 * endpoint answers 200; a process that exits or stays unready is reported with its output.
 */
export async function spawnProcessRunner(
  main: string,
  env: Readonly<Record<string, string>>,
  startTimeoutMs: number,
): Promise<InstanceRunner> {
  const child = startServiceProcess(main, await freePort(), env);
  try {
    await child.ready(startTimeoutMs);
  } catch (error) {
    await child.crash();
    throw error;
  }
  return {
    url: child.url,
    output: child.output,
    // A process that does not finish draining within the bound is killed: a stop always ends.
    stop: (timeoutMs) =>
      withTimeout(child.stop(), timeoutMs, 'stopping the process').catch(async (error: unknown) => {
        await child.crash();
        throw error;
      }),
    kill: (timeoutMs) => withTimeout(child.crash(), timeoutMs, 'killing the process'),
  };
}
