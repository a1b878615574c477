import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { connectToNats, RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { EdgeClient, NatsAgentTransport, StateSvcLocator } from '@kailash/edge-client';
import { seededRandom } from '@kailash/random';
import type { NatsConnection } from '@nats-io/transport-node';
import type { AgentsOptions } from './cli-options';
import { parseAgentsOptions, USAGE } from './cli-options';
import type { FleetFile } from './fleet/fleet-file';
import { loadFleet } from './fleet/fleet-file';
import { LoadGenerator, realClock } from './load/load-generator';
import { LoadStats } from './load/load-stats';
import { agentsLine, progressLine } from './load/progress';
import { RequestPlanner } from './load/request-plan';
import type { DrainReport } from './runner/agent-processes';
import { AgentProcesses } from './runner/agent-processes';
import { planLaunches } from './runner/agent-launch';
import { describeEdges } from './runner/describe-edges';
import { ensureStoreObjects } from './runner/store-objects';
import { totalPerMinute } from './trace/trace';
import { readTrace } from './trace/trace-readers';

const ROOT = join(__dirname, '..', '..', '..');
const AGENT_APP = 'edge-agent';
const PROGRESS_EVERY_MS = 2000;

const started = performance.now();
function say(line: string): void {
  process.stdout.write(`[${((performance.now() - started) / 1000).toFixed(1).padStart(6)}s] ${line}\n`);
}

/** The key every agent accepts and the runner calls with: API_KEYS, or the one `npm start` generated. */
function apiKeys(): { apiKeys: string; credential: string } {
  const configured = process.env['API_KEYS'];
  const keys = configured ?? readDevKey();
  const credential = (keys.split(',')[0] ?? '').split(':').pop() ?? '';
  return { apiKeys: keys, credential };
}

function readDevKey(): string {
  const file = join(ROOT, 'var', 'dev-api-key');
  if (!existsSync(file)) throw new Error('set API_KEYS, or run `npm start` once so var/dev-api-key exists');
  return `dev:${readFileSync(file, 'utf8').trim()}`;
}

/** NATS credentials of the edge agents when `npm start` started a NATS server with users. */
function natsCredentials(): Record<string, string> {
  if (process.env['NATS_USER']) {
    return { NATS_USER: process.env['NATS_USER'], NATS_PASSWORD: process.env['NATS_PASSWORD'] ?? '' };
  }
  const file = join(ROOT, 'var', 'nats', 'passwords.env');
  if (!existsSync(file)) return {};
  const password = /^NATS_PASSWORD_EDGE_AGENT=(.*)$/m.exec(readFileSync(file, 'utf8'))?.[1];
  return password ? { NATS_USER: AGENT_APP, NATS_PASSWORD: password } : {};
}

function buildAgent(options: AgentsOptions): string {
  const main =
    options.agentMain ?? join(ROOT, 'dist', 'apps', AGENT_APP, 'apps', AGENT_APP, 'src', 'main.js');
  if (options.build) {
    say(`building ${AGENT_APP}`);
    execFileSync(process.execPath, [join(ROOT, 'tools', 'scripts', 'build-app.mjs'), AGENT_APP], {
      cwd: ROOT,
    });
  }
  if (!existsSync(main)) throw new Error(`${main} is missing; build it (drop --no-build)`);
  return main;
}

async function main(): Promise<number> {
  if (process.argv.includes('--help')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const options = parseAgentsOptions(process.argv.slice(2));
  const fleet = loadFleet(options.fleet);
  const trace = options.trace ? readTrace(options.trace) : undefined;
  if (trace) {
    const perMinute = totalPerMinute(trace);
    say(
      `trace ${trace.kind}: ${trace.series.length} series, ${trace.minutes} minutes, peak ${Math.max(...perMinute)}/min; one minute lasts ${(60 / options.speed).toFixed(2)} s`,
    );
  }
  const namespace = process.env['KAILASH_NAMESPACE'] ?? 'kailash';
  const natsUrl = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';
  const keys = apiKeys();
  const agentMain = buildAgent(options);
  const launches = planLaunches(
    fleet,
    {
      basePort: options.basePort,
      varDir: options.varDir ?? join(ROOT, 'var', 'agents', fleet.name),
      sharedEnv: {
        NATS_URL: natsUrl,
        KAILASH_NAMESPACE: namespace,
        API_KEYS: keys.apiKeys,
        // The agents call state-svc (register, lease, transitions) with this key of its API_KEYS.
        SERVICE_API_KEY: keys.credential,
        LOG_LEVEL: process.env['LOG_LEVEL'] ?? 'info',
        ...natsCredentials(),
      },
    },
    options.limit,
  );
  const agents = new AgentProcesses();
  const stop = new AbortController();
  let draining: Promise<number> | undefined;
  const drain = () =>
    (draining ??= (async () => {
      stop.abort();
      say(`draining ${launches.length} agents (SIGTERM to each, up to ${options.graceMs} ms)`);
      const report = await agents.drain(options.graceMs);
      for (const agent of report) say(`  ${drainLine(agent)}`);
      return report.every((agent) => agent.code === 0 && !agent.killed) ? 0 : 1;
    })());
  process.on('exit', () => agents.terminateAll());
  process.on('SIGINT', () => void drain());
  process.on('SIGTERM', () => void drain());

  try {
    await startAndRun(
      agents,
      agentMain,
      launches,
      fleet,
      trace,
      options,
      { namespace, natsUrl, credential: keys.credential },
      stop.signal,
    );
  } catch (error) {
    say(`FAILED: ${(error as Error).message}`);
    await drain();
    return 1;
  }
  return drain();
}

async function startAndRun(
  agents: AgentProcesses,
  agentMain: string,
  launches: ReturnType<typeof planLaunches>,
  fleet: FleetFile,
  trace: ReturnType<typeof readTrace> | undefined,
  options: AgentsOptions,
  connection: Connection,
  signal: AbortSignal,
): Promise<void> {
  say(
    `starting ${launches.length} agents of fleet ${fleet.name} (ports ${options.basePort}-${options.basePort + launches.length - 1}, logs ${relative(ROOT, dirname(launches[0]?.logFile ?? ''))}/)`,
  );
  agents.start(agentMain, launches);
  for (const agent of agents.status())
    say(`  ${agent.edgeId}: pid ${agent.pid}, http://127.0.0.1:${agent.port}`);
  let lastWait = 0;
  await agents.waitReady(options.readyTimeoutMs, (status) => {
    if (performance.now() - lastWait < PROGRESS_EVERY_MS * 2) return;
    lastWait = performance.now();
    say(agentsLine(status));
  });
  say(agentsLine(agents.status()));

  const nc = await connectToNats({
    servers: connection.natsUrl.split(','),
    name: 'agents-runner',
    ...(process.env['NATS_USER']
      ? { user: process.env['NATS_USER'], pass: process.env['NATS_PASSWORD'] }
      : {}),
  });
  try {
    const state = new RequestClient(nc, new SubjectSpace(connection.namespace), {
      credential: connection.credential,
    });
    await describeEdges(state, fleet.edges.slice(0, launches.length));
    say('tags, cost per hour and provider of each edge recorded in state-svc');
    if (trace && !signal.aborted) await replay(fleet, trace, options, { nc, state, connection }, signal);
    if (!signal.aborted) say('the fleet keeps running; Ctrl-C drains every agent');
    await new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
  } finally {
    await nc.drain();
  }
}

function drainLine(agent: DrainReport): string {
  const how = agent.signal ?? `code ${agent.code}`;
  if (agent.endedBefore) return `${agent.edgeId}: had already ended (${how}) before the drain`;
  if (agent.killed) return `${agent.edgeId}: KILLED, still running after the grace period`;
  return `${agent.edgeId}: drained, exited ${how} after ${agent.ms} ms`;
}

interface Connection {
  readonly namespace: string;
  readonly natsUrl: string;
  readonly credential: string;
}

async function replay(
  fleet: FleetFile,
  trace: ReturnType<typeof readTrace>,
  options: AgentsOptions,
  { nc, state, connection }: { nc: NatsConnection; state: RequestClient; connection: Connection },
  signal: AbortSignal,
): Promise<void> {
  for (const [store, owner] of await ensureStoreObjects(state, fleet))
    say(`store ${store}: owned by ${owner ?? 'no edge yet'} (state-svc state object ${store})`);
  const client = new EdgeClient(
    new StateSvcLocator(state),
    new NatsAgentTransport(nc, { namespace: connection.namespace, credential: connection.credential }),
  );
  const random = seededRandom(options.seed);
  const stats = new LoadStats();
  const generator = new LoadGenerator(
    client,
    new RequestPlanner(fleet, trace.kind, options.mix, random),
    stats,
    realClock,
    random,
  );
  let minute: number | null = null;
  let lastSent = 0;
  let lastAt = performance.now();
  const ticker = setInterval(() => {
    const now = performance.now();
    say(progressLine(stats, minute, stats.totalSent() - lastSent, (now - lastAt) / 1000));
    lastSent = stats.totalSent();
    lastAt = now;
  }, PROGRESS_EVERY_MS);
  try {
    await generator.run(
      trace,
      {
        replay: {
          speed: options.speed,
          scale: options.scale,
          startMinute: options.startMinute,
          minutes: options.minutes,
          maxSeries: options.maxSeries,
        },
        maxInFlight: options.maxInFlight,
        onMinute: (m) => (minute = m),
      },
      signal,
    );
  } finally {
    clearInterval(ticker);
  }
  say(progressLine(stats, null, 0, 0));
  say(`served by: ${[...stats.servedBy].map(([edge, count]) => `${edge} ${count}`).join(', ')}`);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
