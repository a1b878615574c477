import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { CoordinationClient } from '@kailash/coordination-client';
import { builtAppMain, connectTestNats, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { REPLICA_API_KEY, ReplicaGroup } from './replica-process';

/**
 * Same-run comparison of replica configurations: for each entry of VARIANTS (JSON: name → extra
 * replica environment; default one variant with the defaults) a fresh 3-replica group, puts/s at
 * IN_FLIGHT writers (default 64) for SECONDS_RUN (default 10) after a 2 s warm-up, then ROUNDS
 * (default 0) leader kills timed from kill -9 to the next acknowledged put. Prints each replica's
 * WAL fsyncs and entries during the load. PROFILE_PRELOAD: a script `--require`d into every replica.
 * A variant's `CLIENT_LEADER_DIRECT: "false"` makes its client send every write to any replica, and
 * its `CLIENT_ATTEMPT_MS` sets the client's attempt timeout; the client's retried attempts are counted.
 * `nice -n 19 bash tools/bench/run.sh apps/coordination-svc/test/throughput-probe.ts`
 */
const IN_FLIGHT = Number(process.env['IN_FLIGHT'] ?? 64);
const SECONDS = Number(process.env['SECONDS_RUN'] ?? 10);
const ROUNDS = Number(process.env['ROUNDS'] ?? 0);
const VARIANTS = JSON.parse(process.env['VARIANTS'] ?? '{"defaults":{}}') as Record<
  string,
  Record<string, string>
>;
const PRELOAD = process.env['PROFILE_PRELOAD'];

async function load(client: CoordinationClient, ms: number, latencies: number[]): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async (_, worker) => {
      for (let i = 0; performance.now() < end; i++) {
        const started = performance.now();
        await client.put(`k/${worker}/${i % 16}`, `value-${i}`);
        latencies.push(performance.now() - started);
        done++;
      }
    }),
  );
  return done;
}

async function walCounters(url: string): Promise<{ fsyncs: number; applied: number; leader: boolean }> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const value = (name: string) =>
    Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(text)?.[1] ?? NaN);
  return {
    fsyncs: value('coord_wal_fsync_seconds_count'),
    applied: value('coord_applied_index'),
    leader: value('coord_raft_is_leader') === 1,
  };
}

const quantile = (sorted: readonly number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function throughput(group: ReplicaGroup, client: CoordinationClient): Promise<string> {
  await load(client, 2_000, []);
  const before = await Promise.all(group.all().map((r) => walCounters(r.url)));
  const latencies: number[] = [];
  const started = performance.now();
  const done = await load(client, SECONDS * 1_000, latencies);
  const elapsed = (performance.now() - started) / 1_000;
  const after = await Promise.all(group.all().map((r) => walCounters(r.url)));
  const sorted = latencies.sort((a, b) => a - b);
  const wal = group
    .all()
    .map((r, i) => {
      const fsyncs = (after[i]?.fsyncs ?? 0) - (before[i]?.fsyncs ?? 0);
      const entries = (after[i]?.applied ?? 0) - (before[i]?.applied ?? 0);
      return `${r.id}${after[i]?.leader ? '*' : ''}: ${(fsyncs / elapsed).toFixed(0)} fsync/s, ${(entries / fsyncs).toFixed(1)} entries/fsync`;
    })
    .join('; ');
  return `${IN_FLIGHT} in flight: ${(done / elapsed).toFixed(0)} puts/s, p50 ${quantile(sorted, 0.5).toFixed(1)} ms, p99 ${quantile(sorted, 0.99).toFixed(1)} ms [${wal}]`;
}

async function failover(group: ReplicaGroup, client: CoordinationClient): Promise<string> {
  const figures: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    await client.put('warm', String(round));
    const leader = (await client.cluster()).leader;
    const killedAt = performance.now();
    const killing = group.get(leader).process.crash();
    await client.put('after-kill', String(round));
    figures.push(performance.now() - killedAt);
    await killing;
    group.restart(leader);
    await group.get(leader).process.ready(60_000);
  }
  const sorted = [...figures].sort((a, b) => a - b);
  return `failover (ms): ${figures.map((f) => f.toFixed(0)).join(', ')}; median ${quantile(sorted, 0.5).toFixed(0)}, max ${(sorted[sorted.length - 1] ?? 0).toFixed(0)}`;
}

async function variant(main: string, nc: NatsConnection, env: Record<string, string>): Promise<string[]> {
  const namespace = uniqueName('coordtp');
  const retried = { count: 0 };
  const profiling: Record<string, string> = PRELOAD ? { NODE_OPTIONS: `--require ${PRELOAD}` } : {};
  const group = new ReplicaGroup(main, namespace, { ...profiling, ...env });
  for (const id of [1, 2, 3]) await group.start({ id, peers: [1, 2, 3] });
  await Promise.all(group.all().map((r) => r.process.ready(60_000)));
  const client = new CoordinationClient(
    new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY }),
    {
      leaderDirect: env['CLIENT_LEADER_DIRECT'] !== 'false',
      ...(env['CLIENT_ATTEMPT_MS'] ? { retry: { attemptTimeoutMs: Number(env['CLIENT_ATTEMPT_MS']) } } : {}),
      onRetry: () => void retried.count++,
    },
  );
  try {
    const lines = [];
    if (SECONDS > 0) lines.push(`${await throughput(group, client)}; ${retried.count} retried attempts`);
    if (ROUNDS > 0) lines.push(await failover(group, client));
    return lines;
  } finally {
    await client.close();
    await Promise.all(group.all().map((r) => r.process.stop()));
    await group.stopAll();
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
  }
}

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const main = await builtAppMain('coordination-svc', root, 120_000);
  const nc = await connectTestNats('coord-throughput');
  try {
    for (const [name, env] of Object.entries(VARIANTS)) {
      for (const line of await variant(main, nc, env)) console.log(`${name}: ${line}`);
    }
  } finally {
    await nc.close();
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
