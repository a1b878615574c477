import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** The workspace this library lives in: libs/testing/src/cluster → four levels up. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

const builds = new Map<string, Promise<string>>();

/**
 * Builds an app with tools/scripts/build-app.mjs and resolves to the entry point of a private
 * copy of the build, once per test process and app. Test files run in parallel workers and each
 * build empties dist/apps/<app> first: the build holds a lock shared by every worker, and a
 * process started from the copy cannot lose its files to another worker's rebuild. The copy sits
 * inside the workspace, so its requires still find node_modules; it is removed when this process
 * exits, or (a test worker is killed rather than exiting) by the next build after it.
 */
export function builtAppMain(app: string, root: string, timeoutMs: number): Promise<string> {
  const key = `${root}\0${app}`;
  let build = builds.get(key);
  if (!build) {
    build = withBuildLock(root, app, timeoutMs, async () => {
      await runBuild(root, app, timeoutMs);
      const copies = join(root, 'dist', 'test-builds');
      removeCopiesOfEndedProcesses(copies);
      const copy = join(copies, `${app}-${process.pid}-${randomBytes(3).toString('hex')}`);
      cpSync(join(root, 'dist', 'apps', app), copy, { recursive: true });
      process.once('exit', () => rmSync(copy, { recursive: true, force: true }));
      return join(copy, 'apps', app, 'src', 'main.js');
    });
    // A failed build may be retried by the next cluster rather than failing it from the cache.
    build.catch(() => builds.delete(key));
    builds.set(key, build);
  }
  return build;
}

/** Builds and copies one at a time across processes: the lock is a directory, created atomically. */
async function withBuildLock<T>(
  root: string,
  app: string,
  timeoutMs: number,
  work: () => Promise<T>,
): Promise<T> {
  const locks = join(root, 'dist', 'build-locks');
  const lock = join(locks, app);
  mkdirSync(locks, { recursive: true });
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      // A holder that died mid-build leaves its lock behind; one older than a whole build is stale.
      if (ageMs(lock) > timeoutMs) rmSync(lock, { recursive: true, force: true });
      else if (Date.now() > deadline)
        throw new Error(`the build lock ${lock} was not released within ${timeoutMs} ms`);
      else await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Copies are named `<app>-<pid>-<random>`: those of processes no longer alive are garbage. */
function removeCopiesOfEndedProcesses(copies: string): void {
  let names: string[];
  try {
    names = readdirSync(copies);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(/-(\d+)-[0-9a-f]+$/.exec(name)?.[1]);
    if (Number.isInteger(pid) && pid !== process.pid && !alive(pid))
      rmSync(join(copies, name), { recursive: true, force: true });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(path: string): number {
  try {
    return Date.now() - statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

function runBuild(root: string, app: string, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [join(root, 'tools', 'scripts', 'build-app.mjs'), app],
      { cwd: root, timeout: timeoutMs },
      (error, _stdout, stderr) =>
        error ? reject(new Error(`building ${app} failed: ${error.message}\n${stderr}`)) : resolve(),
    ),
  );
}
