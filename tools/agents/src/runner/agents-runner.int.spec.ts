import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ServiceProcess } from '@kailash/testing';
import {
  builtAppMain,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  eventually,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';

const ROOT = join(__dirname, '..', '..', '..', '..');
const KEY = 'agents-runner-int-key-0123456789';
// Bounds for builds, three processes and the network on a loaded machine; none is a speed claim.
const BUILD_MS = 120_000;
const RUN_MS = 150_000;

/** `count` consecutive ports nothing listens on, the first from the OS. */
async function consecutiveFreePorts(count: number): Promise<number> {
  const free = (port: number) =>
    new Promise<boolean>((resolve) => {
      const server = createServer();
      server.once('error', () => resolve(false));
      server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
    });
  for (;;) {
    const first = await freePort();
    const rest = await Promise.all(Array.from({ length: count - 1 }, (_, i) => free(first + i + 1)));
    if (rest.every(Boolean)) return first;
  }
}

/** `npm run agents` as a user runs it: two agents of the Europe fleet, a short trace, then Ctrl-C. */
describe('npm run agents (runner, built agents, state-svc, real NATS and PostgreSQL)', () => {
  const namespace = uniqueName('runner');
  const database = uniqueName('runner_state');
  const work = mkdtempSync(join(tmpdir(), 'agents-runner-'));
  let stateSvc: ServiceProcess | undefined;
  let runner: ChildProcess | undefined;
  let output = '';

  afterAll(async () => {
    if (runner && runner.exitCode === null) runner.kill('SIGINT');
    // Agents run in their own process group: any the runner left behind are stopped by their pid.
    for (const [, pid] of output.matchAll(/: pid (\d+), http/g)) {
      try {
        process.kill(Number(pid), 'SIGKILL');
      } catch {
        // Already gone, as it should be.
      }
    }
    await stateSvc?.stop();
    const nc = await connectTestNats('runner-cleanup');
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc.close();
    await dropTestDatabase(database);
    rmSync(work, { recursive: true, force: true });
  }, 60_000);

  it(
    'starts the agents, replays the trace through them, and Ctrl-C drains each one',
    async () => {
      const [stateMain, agentMain] = await Promise.all([
        builtAppMain('state-svc', ROOT, BUILD_MS),
        builtAppMain('edge-agent', ROOT, BUILD_MS),
      ]);
      const shared = { NATS_URL: testNatsUrl(), KAILASH_NAMESPACE: namespace, API_KEYS: `int:${KEY}` };
      stateSvc = startServiceProcess(stateMain, await freePort(), {
        ...shared,
        DATABASE_URL: testPostgresUrl(database),
      });
      await stateSvc.ready(RUN_MS);
      const trace = join(work, 'requests.csv');
      writeFileSync(
        trace,
        'minute_start_local,segment,requests,peak_requests_per_second\n' +
          ['00:00', '00:01', '00:02'].map((t) => `1995-07-01 ${t},jul,20,1`).join('\n'),
      );
      const basePort = await consecutiveFreePorts(2);
      const args = ['--fleet', join(ROOT, 'tools/agents/fleets/europe.json'), '--limit', '2'];
      args.push(
        '--trace',
        trace,
        '--speed',
        '120',
        '--agent-main',
        agentMain,
        '--var-dir',
        join(work, 'var'),
      );
      runner = spawn(
        process.execPath,
        [
          '-r',
          '@swc-node/register',
          join(ROOT, 'tools/agents/src/main.ts'),
          ...args,
          '--base-port',
          String(basePort),
        ],
        {
          cwd: ROOT,
          env: {
            PATH: process.env['PATH'] ?? '',
            SWC_NODE_PROJECT: join(ROOT, 'tools/bench/tsconfig.json'),
            ...shared,
          },
          stdio: ['ignore', 'pipe', 'pipe'],
        },
      );
      runner.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      runner.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => runner?.once('exit', (code) => resolve(code)));

      await eventually(
        'the replay to end',
        async () => output,
        (text) => /keeps running|FAILED/.test(text),
        RUN_MS,
      );
      expect(output).not.toContain('FAILED');
      // Every request the trace sent was answered (a get of an unwritten key is a miss, not a failure).
      const done = /trace done: .*/.exec(output)?.[0] ?? '';
      const sent = [...done.matchAll(/(\d+)\/(\d+) ok/g)].map(([, ok, all]) => [Number(ok), Number(all)]);
      expect(sent.reduce((total, [, all]) => total + (all ?? 0), 0)).toBe(60);
      expect(sent.every(([ok, all]) => ok === all)).toBe(true);
      expect(Number(/cold starts (\d+)/.exec(done)?.[1])).toBeGreaterThan(0);
      // The agents' own count of cold starts, exported with their next metrics batch.
      const coldStarts = async () => {
        const pages = await Promise.all(
          [basePort, basePort + 1].map((port) =>
            fetch(`http://127.0.0.1:${port}/metrics`).then((r) => r.text()),
          ),
        );
        return pages
          .flatMap((page) => [...page.matchAll(/^kailash_agent_cold_starts_total\{[^}]*\} (\d+)$/gm)])
          .reduce((total, [, count]) => total + Number(count), 0);
      };
      expect(
        await eventually('cold starts in the agents’ metrics', coldStarts, (n) => n > 0, 60_000),
      ).toBeGreaterThan(0);
      const active = await fetch(`${stateSvc.url}/edges?lifecycle=active`, {
        headers: { authorization: `Bearer ${KEY}` },
      }).then((response) => response.json() as Promise<{ edges: { edgeId: string }[] }>);
      expect(active.edges.map((edge) => edge.edgeId).sort()).toEqual(['frankfurt-1', 'paris-1']);
      // What the fleet file says beyond the agent's own configuration is on the edge too.
      const paris = await fetch(`${stateSvc.url}/edges/paris-1`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      expect(await paris.json()).toMatchObject({
        costPerHour: 2.4,
        provider: 'ovh',
        tags: { agent: 'edge-agent', country: 'FR', city: 'paris' },
      });

      runner.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(output).toMatch(/paris-1: drained, exited code 0/);
      expect(output).toMatch(/frankfurt-1: drained, exited code 0/);
      expect(readFileSync(join(work, 'var', 'log', 'paris-1.log'), 'utf8').length).toBeGreaterThan(0);
    },
    BUILD_MS + 2 * RUN_MS,
  );
});
