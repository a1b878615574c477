import type { ChildProcess } from 'node:child_process';

/** SIGSTOP / SIGCONT / SIGKILL to a child; kill resolves once the process is gone. */
export function pauseProcess(child: ChildProcess): void {
  child.kill('SIGSTOP');
}

export function resumeProcess(child: ChildProcess): void {
  child.kill('SIGCONT');
}

export function killProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}
