import { SubjectSpace } from '@kailash/contracts';
import type { ServiceProcess } from '@kailash/testing';
import {
  buildApp,
  connectTestNats,
  deleteStreamsWithPrefix,
  dropTestDatabase,
  freePort,
  startServiceProcess,
  testNatsUrl,
  testPostgresUrl,
  uniqueName,
} from '@kailash/testing';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { join } from 'node:path';
import { percentile } from '../report';

/** A running monitor-svc to measure: its URL and API key, and a NATS connection on its namespace. */
export interface AlertLagTarget {
  readonly url: string;
  readonly apiKey: string;
  readonly nc: NatsConnection;
  readonly subjects: SubjectSpace;
}

export interface AlertLagOptions {
  readonly trials: number;
  /** The rule's `for`. */
  readonly forMs: number;
  /** How often a trial's edge records a sample above the threshold while it waits. */
  readonly sampleEveryMs?: number;
  /** Bound on one trial, after which it counts as missed. */
  readonly trialTimeoutMs?: number;
}

export interface AlertLagFigures {
  readonly trials: number;
  readonly missed: number;
  /** From the moment `for` elapsed (first sample's timestamp + forMs) to alert.firing arriving on NATS. */
  readonly lagMs: { readonly p50: number; readonly p99: number; readonly max: number; readonly min: number };
  /** The same, from `activeAt + forMs` as the event states it: the evaluator's own delay. */
  readonly evaluatorLagMs: { readonly p50: number; readonly p99: number; readonly max: number };
  /** Same-run floor: a JetStream publish until a core subscriber receives it. */
  readonly natsFloorMs: { readonly p50: number; readonly p99: number };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Alert lag of a running monitor-svc, over `trials` edges one after the other: a rule (cpu > 80,
 * `for` forMs) is created once; each trial's edge then records cpu = 99 every `sampleEveryMs`
 * until its alert.firing arrives on the MONITOR stream's subjects. The condition holds from the
 * first sample's timestamp, so `for` elapses at that timestamp + forMs.
 */
export async function measureAlertLag(
  target: AlertLagTarget,
  options: AlertLagOptions,
): Promise<AlertLagFigures> {
  const post = poster(target);
  const run = uniqueName('lag');
  const rule = await post('/alerts/rules', {
    name: `alert-lag-${run}`,
    metric: 'cpu',
    matchers: { bench: run },
    aggregation: 'max',
    windowMs: 5000,
    comparison: 'gt',
    threshold: 80,
    forMs: options.forMs,
  });
  const arrivals = new Map<string, Arrival>();
  const sub = target.nc.subscribe(target.subjects.events('monitor', 'alert'), {
    callback: (_, msg) => {
      const event = msg.json<{ type: string; data: { ruleId: string; edgeId: string; activeAt: string } }>();
      if (event.type === 'alert.firing' && event.data.ruleId === rule.id && !arrivals.has(event.data.edgeId))
        arrivals.set(event.data.edgeId, { at: Date.now(), activeAt: Date.parse(event.data.activeAt) });
    },
  });
  const lags: number[] = [];
  const evaluatorLags: number[] = [];
  try {
    for (let trial = 0; trial < options.trials; trial++) {
      const outcome = await runTrial(post, run, `lag-${trial}`, arrivals, options);
      if (!outcome) continue;
      lags.push(outcome.lag);
      evaluatorLags.push(outcome.evaluatorLag);
    }
  } finally {
    await sub.drain();
  }
  return {
    trials: options.trials,
    missed: options.trials - lags.length,
    lagMs: summary(lags),
    evaluatorLagMs: summary(evaluatorLags),
    natsFloorMs: await natsFloor(target, 200),
  };
}

interface Arrival {
  readonly at: number;
  readonly activeAt: number;
}

type Post = (path: string, body: unknown) => Promise<{ id?: string }>;

function poster(target: AlertLagTarget): Post {
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${target.apiKey}` };
  return async (path, body) => {
    const response = await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers,
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
    return response.json() as Promise<{ id?: string }>;
  };
}

/** One edge above the threshold until its alert fires; undefined when it never did in time. */
async function runTrial(
  post: Post,
  run: string,
  edgeId: string,
  arrivals: ReadonlyMap<string, Arrival>,
  options: AlertLagOptions,
): Promise<{ lag: number; evaluatorLag: number } | undefined> {
  const sample = (at = Date.now()) =>
    post('/series/samples', {
      samples: [{ edgeId, metric: 'cpu', labels: { bench: run }, value: 99, at: new Date(at).toISOString() }],
    });
  // The condition is true from the first sample's own timestamp on.
  const trueFrom = Date.now();
  await sample(trueFrom);
  const deadline = trueFrom + options.forMs + (options.trialTimeoutMs ?? 30_000);
  while (!arrivals.has(edgeId) && Date.now() < deadline) {
    await sleep(options.sampleEveryMs ?? 250);
    if (!arrivals.has(edgeId)) await sample();
  }
  const arrival = arrivals.get(edgeId);
  if (!arrival) return undefined;
  return {
    lag: arrival.at - (trueFrom + options.forMs),
    evaluatorLag: arrival.at - (arrival.activeAt + options.forMs),
  };
}

function summary(values: readonly number[]) {
  return {
    p50: percentile(values, 50),
    p99: percentile(values, 99),
    max: Math.max(...values),
    min: Math.min(...values),
  };
}

async function natsFloor(target: AlertLagTarget, count: number): Promise<{ p50: number; p99: number }> {
  const subject = target.subjects.event('monitor', 'bench', 'floor');
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sub = target.nc.subscribe(subject, {
    callback: (_, msg) => {
      const at = sentAt.get(msg.string());
      if (at !== undefined) latencies.push(performance.now() - at);
    },
  });
  const js = jetstream(target.nc);
  for (let i = 0; i < count; i++) {
    sentAt.set(String(i), performance.now());
    await js.publish(subject, String(i));
  }
  await sleep(200);
  await sub.drain();
  return { p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}

export interface StandaloneOptions extends AlertLagOptions {
  /** The service's ALERT_EVALUATION_MS. */
  readonly evaluationMs: number;
}

/** Builds monitor-svc, runs it as a process on its own namespace and database, and measures it. */
export async function runAlertLagWithOwnService(options: StandaloneOptions): Promise<AlertLagFigures> {
  const root = join(__dirname, '..', '..', '..');
  const namespace = uniqueName('bench');
  const database = uniqueName('bench_alerts');
  const apiKey = `bench-${uniqueName('key')}`;
  const nc = await connectTestNats('bench-alert-lag');
  let service: ServiceProcess | undefined;
  try {
    service = startServiceProcess(buildApp(root, 'monitor-svc'), await freePort(), {
      API_KEYS: `bench:${apiKey}`,
      KAILASH_NAMESPACE: namespace,
      NATS_URL: testNatsUrl(),
      DATABASE_URL: testPostgresUrl(database),
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_MINUTE: '100000000',
      ALERT_EVALUATION_MS: String(options.evaluationMs),
    });
    await service.ready();
    return await measureAlertLag(
      { url: service.url, apiKey, nc, subjects: new SubjectSpace(namespace) },
      options,
    );
  } finally {
    await service?.stop();
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc.close();
    await dropTestDatabase(database);
  }
}
