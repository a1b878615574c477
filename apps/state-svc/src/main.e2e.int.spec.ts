import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  freePort,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';

const ROOT = join(__dirname, '..', '..', '..');
const KEY = 'e2e-key-0123456789abcdef';
// Explicit bounds for everything this file waits on (a build, a process, the network): the machine
// may be loaded by parallel suites, so they are generous; none of them is a speed assertion.
const BUILD_MS = 120_000;
const EXIT_MS = 60_000;
const CLEANUP_MS = 30_000;

/** The built service as a real process: how users and containers run it. */
describe('state-svc process (built with SWC, real NATS + PostgreSQL)', () => {
  const namespace = uniqueName('e2e');
  const database = uniqueName('state_e2e');
  let port = 0;
  let url = '';
  let proc: ChildProcess | undefined;
  let output = '';
  let main = '';

  beforeAll(async () => {
    port = await freePort();
    url = `http://127.0.0.1:${port}`;
    // The shared build: one at a time across test workers, run from a copy no other rebuild empties.
    main = await builtAppMain('state-svc', ROOT, BUILD_MS);
  }, BUILD_MS + 10_000);
  afterAll(async () => {
    proc?.kill('SIGKILL');
    const nc = await connectTestNats('e2e-cleanup');
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc.close();
    await dropTestDatabase(database);
  }, CLEANUP_MS);

  const start = (env: Record<string, string>) => {
    output = '';
    const child = spawn(process.execPath, [main], {
      env: { PATH: process.env['PATH'] ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    return child;
  };
  /** The child's exit; if it has not exited within `EXIT_MS`, it is killed and the wait fails with its output. */
  const exitOf = (child: ChildProcess) =>
    new Promise<{ code: number | null; signal: string | null }>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`process did not exit within ${EXIT_MS} ms; its output:\n${output}`));
      }, EXIT_MS);
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        resolve({ code, signal });
      });
    });

  it(
    'refuses to start on a bad environment, naming each variable, and exits 1',
    async () => {
      const child = start({ PORT: 'eighty', NATS_URL: testNatsUrl() });
      expect(await exitOf(child)).toEqual({ code: 1, signal: null });
      expect(output).toMatch(/PORT: /);
      expect(output).toMatch(/API_KEYS: /);
    },
    EXIT_MS + 10_000,
  );

  it(
    'starts, serves, and on SIGTERM drains, then exits 0',
    async () => {
      proc = start({
        PORT: String(port),
        HOST: '127.0.0.1',
        API_KEYS: KEY,
        KAILASH_NAMESPACE: namespace,
        NATS_URL: testNatsUrl(),
        DATABASE_URL: testPostgresUrl(database),
        LOG_LEVEL: 'info',
      });
      await eventually(
        'ready',
        () =>
          fetch(`${url}/health/ready`)
            .then((r) => r.status)
            .catch(() => 0),
        (status) => status === 200,
        60_000,
      );
      const created = await fetch(`${url}/edges`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
        body: JSON.stringify({
          edgeId: 'e2e-1',
          name: 'E2E',
          region: 'eu-west',
          location: { lat: 1, lon: 2 },
        }),
      });
      expect(created.status).toBe(201);
      await eventually(
        'projected',
        () =>
          fetch(`${url}/edges/e2e-1`, { headers: { authorization: `Bearer ${KEY}` } }).then((r) => r.status),
        (status) => status === 200,
      );
      expect(output).toMatch(/"correlationId":"[0-9a-f-]{36}"/); // pino JSON request logs carry a correlation id
      expect(output).not.toContain(KEY); // the API key is redacted from logs

      const exited = exitOf(proc);
      proc.kill('SIGTERM');
      // NestJS closes the app, then exits 0: a clean stop (pino's buffered lines flushed on exit).
      expect(await exited).toEqual({ code: 0, signal: null });
      expect(output).toMatch(/"msg":"draining: requests, projections, NATS","signal":"SIGTERM"/);
      expect(output).toMatch(/"msg":"drained"/);
      expect(output).not.toMatch(/"level":(50|60)/); // no error or fatal line on the way down
    },
    60_000 + EXIT_MS + 30_000,
  );
});
