import { spawn } from 'node:child_process';
import type { Server } from 'node:net';
import { createServer } from 'node:net';
import { join } from 'node:path';

/**
 * `npm start` as a user meets it when a port is taken or wrong: it stops before installing, building or
 * starting anything, names the port and the variable that moves it, and exits 1. Nothing here needs
 * NATS or PostgreSQL: the script refuses before it reaches them.
 */
const ROOT = join(__dirname, '..', '..');
const SCRIPT_MS = 20_000;

function occupyPort(): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '0.0.0.0', () => resolve(server));
  });
}
const portOf = (server: Server) => (server.address() as { port: number }).port;

/** Runs start.sh with only PATH and HOME from this environment, plus `env`; bounded by SCRIPT_MS. */
function runStart(
  env: Record<string, string>,
  services: readonly string[] = [],
): Promise<{ code: number | null; output: string }> {
  const child = spawn('bash', [join(ROOT, 'tools', 'scripts', 'start.sh'), ...services], {
    cwd: ROOT,
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`start.sh still running after ${SCRIPT_MS} ms:\n${output}`));
    }, SCRIPT_MS);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm start (tools/scripts/start.sh) refuses a bad port or database before it starts anything', () => {
  let taken: Server;
  beforeAll(async () => (taken = await occupyPort()), 10_000);
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())), 10_000);

  const startedNothing = (output: string) =>
    !/installing|building|starting (state|monitor)-svc|ready at/.test(output);

  it(
    'names a taken PORT, the variables that move it, and exits 1',
    async () => {
      const port = portOf(taken);
      const { code, output } = await runStart({ PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`state-svc: port ${port} is already in use`);
      expect(output).toContain('STATE_SVC_PORT=<port> or PORT=<port>');
      expect(startedNothing(output)).toBe(true);
    },
    SCRIPT_MS + 5_000,
  );

  it(
    'takes STATE_SVC_PORT over PORT',
    async () => {
      const port = portOf(taken);
      const { code, output } = await runStart({ PORT: '1', STATE_SVC_PORT: String(port) });
      expect(code).toBe(1);
      expect(output).toContain(`port ${port} is already in use`);
      expect(startedNothing(output)).toBe(true);
    },
    SCRIPT_MS + 5_000,
  );

  it(
    'names a PORT that is not a port number',
    async () => {
      const { code, output } = await runStart({ PORT: '80a' });
      expect(code).toBe(1);
      expect(output).toContain('PORT=80a is not a port number');
      expect(startedNothing(output)).toBe(true);
    },
    SCRIPT_MS + 5_000,
  );

  it(
    'refuses one DATABASE_URL for two services and names the per-service variables',
    async () => {
      const { code, output } = await runStart({ DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/x' }, [
        'state-svc',
        'monitor-svc',
      ]);
      expect(code).toBe(1);
      expect(output).toContain('set STATE_SVC_DATABASE_URL MONITOR_SVC_DATABASE_URL instead');
      expect(startedNothing(output)).toBe(true);
    },
    SCRIPT_MS + 5_000,
  );

  it(
    'knows monitor-svc and names its port variable',
    async () => {
      const port = portOf(taken);
      const { code, output } = await runStart({ MONITOR_SVC_PORT: String(port) }, ['monitor-svc']);
      expect(code).toBe(1);
      expect(output).toContain(`monitor-svc: port ${port} is already in use`);
      expect(output).toContain('MONITOR_SVC_PORT=<port>');
      expect(startedNothing(output)).toBe(true);
    },
    SCRIPT_MS + 5_000,
  );
});
