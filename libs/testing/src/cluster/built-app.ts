import { execFile } from 'node:child_process';
import { join } from 'node:path';

/** The workspace this library lives in: libs/testing/src/cluster → four levels up. */
export const WORKSPACE_ROOT = join(__dirname, '..', '..', '..', '..');

const builds = new Map<string, Promise<string>>();

/**
 * Builds an app with tools/scripts/build-app.mjs (once per test process and app) and resolves to
 * its entry point, the file the app's container runs.
 */
export function builtAppMain(app: string, root: string, timeoutMs: number): Promise<string> {
  const key = `${root}\0${app}`;
  let build = builds.get(key);
  if (!build) {
    build = new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [join(root, 'tools', 'scripts', 'build-app.mjs'), app],
        { cwd: root, timeout: timeoutMs },
        (error, _stdout, stderr) =>
          error
            ? reject(new Error(`building ${app} failed: ${error.message}\n${stderr}`))
            : resolve(join(root, 'dist', 'apps', app, 'apps', app, 'src', 'main.js')),
      ),
    );
    // A failed build may be retried by the next cluster rather than failing it from the cache.
    build.catch(() => builds.delete(key));
    builds.set(key, build);
  }
  return build;
}
