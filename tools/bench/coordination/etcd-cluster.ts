import type { ChildProcess } from 'node:child_process';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ConstantBackoff, handleWhen, noop, retry } from 'cockatiel';
import { Etcd3, isRecoverableError } from 'etcd3';
import { freePort } from '@kailash/testing';
import type { BenchCluster, BenchKv } from './bench-target';

const ETCD = '/usr/bin/etcd';
/** Per-call deadline and retries of the benchmark's etcd3 client (the library's defaults add a
 * 5 s per-host circuit breaker, which alone keeps a client off a recovered cluster for seconds). */
const CALL_DEADLINE_MS = 1_000;
const RETRIES = 20;
const RETRY_DELAY_MS = 50;
export const ETCD_RETRY_POLICY = `etcd3 client: ${CALL_DEADLINE_MS} ms deadline per call, up to ${RETRIES} retries ${RETRY_DELAY_MS} ms apart on a recoverable gRPC error, each retry on a random host, no per-host circuit breaker`;

interface Member {
  readonly name: string;
  readonly clientUrl: string;
  readonly peerUrl: string;
  child: ChildProcess | undefined;
}

/** The installed etcd's version line, or undefined when Debian's etcd-server package is missing. */
export function etcdVersion(): string | undefined {
  try {
    return execFileSync(ETCD, ['--version']).toString().split('\n')[0];
  } catch {
    return undefined;
  }
}

export const ETCD_INSTALL_HINT =
  'etcd is not installed: `sudo apt-get install -y etcd-server etcd-client` (Debian), then rerun.';

/** A 3-member etcd cluster on loopback with fresh data directories, default timings (100 ms / 1 s). */
export async function startEtcdCluster(size = 3): Promise<BenchCluster> {
  const root = mkdtempSync(join(tmpdir(), 'kailash-etcd-'));
  const members: Member[] = [];
  for (let i = 0; i < size; i++) {
    members.push({
      name: `m${i}`,
      clientUrl: `http://127.0.0.1:${await freePort()}`,
      peerUrl: `http://127.0.0.1:${await freePort()}`,
      child: undefined,
    });
  }
  const initialCluster = members.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const launch = (member: Member, state: 'new' | 'existing') => {
    member.child = spawn(
      ETCD,
      [
        `--name=${member.name}`,
        `--data-dir=${join(root, member.name)}`,
        `--listen-client-urls=${member.clientUrl}`,
        `--advertise-client-urls=${member.clientUrl}`,
        `--listen-peer-urls=${member.peerUrl}`,
        `--initial-advertise-peer-urls=${member.peerUrl}`,
        `--initial-cluster=${initialCluster}`,
        `--initial-cluster-state=${state}`,
        '--initial-cluster-token=kailash-bench',
        '--log-level=error',
      ],
      { stdio: 'ignore' },
    );
  };
  for (const member of members) launch(member, 'new');
  const clients: Etcd3[] = [];
  const stop = async () => {
    for (const client of clients) client.close();
    await Promise.all(members.map((m) => killAndWait(m.child, 'SIGTERM')));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await waitForLeader(members, 30_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    name: 'etcd',
    retryPolicy: ETCD_RETRY_POLICY,
    client: async () => {
      const client = benchClient(members.map((m) => m.clientUrl));
      clients.push(client);
      return etcdKv(client);
    },
    killLeader: async () => {
      const leader = await waitForLeader(members, 30_000);
      const killedAt = performance.now();
      await killAndWait(leader.child, 'SIGKILL');
      leader.child = undefined;
      const elected = waitForLeader(members, 60_000).then(() => performance.now());
      return { killedAt, elected };
    },
    pids: () => {
      const pids = new Map<string, number>();
      for (const m of members) if (m.child?.pid !== undefined) pids.set(m.name, m.child.pid);
      return pids;
    },
    restartKilled: async () => {
      for (const member of members) if (!member.child) launch(member, 'existing');
      await waitForLeader(members, 30_000);
      await allCaughtUp(members, 60_000);
    },
    stop,
  };
}

function benchClient(hosts: string[]): Etcd3 {
  return new Etcd3({
    hosts,
    defaultCallOptions: (context) => (context.isStream ? {} : { deadline: Date.now() + CALL_DEADLINE_MS }),
    faultHandling: {
      host: () => noop,
      global: retry(handleWhen(isRecoverableError), {
        maxAttempts: RETRIES,
        backoff: new ConstantBackoff(RETRY_DELAY_MS),
      }),
    },
  });
}

function etcdKv(client: Etcd3): BenchKv {
  return {
    put: async (key, value) => {
      await client.put(key).value(value).exec();
    },
    get: (key) => client.get(key).string(),
    close: async () => client.close(),
  };
}

async function waitForLeader(members: readonly Member[], timeoutMs: number): Promise<Member> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const member of members) {
      if (!member.child) continue;
      const probe = new Etcd3({ hosts: member.clientUrl, faultHandling: { host: () => noop, global: noop } });
      try {
        const status = await probe.maintenance.status({ deadline: Date.now() + 500 });
        if (status.leader !== '0' && status.leader === status.header.member_id) return member;
      } catch {
        // not up yet, or no leader: probe the next member
      } finally {
        probe.close();
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`etcd: no leader within ${timeoutMs} ms`);
}

/** Every member answers and is within a few entries of the highest raft index. */
async function allCaughtUp(members: readonly Member[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const indexes = await Promise.all(members.map((m) => raftIndex(m)));
    const highest = Math.max(...indexes.map((i) => i ?? 0));
    if (indexes.every((i) => i !== undefined && i >= highest - 10)) return;
    if (Date.now() > deadline) throw new Error(`etcd: members not caught up within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function raftIndex(member: Member): Promise<number | undefined> {
  const probe = new Etcd3({ hosts: member.clientUrl, faultHandling: { host: () => noop, global: noop } });
  try {
    const status = await probe.maintenance.status({ deadline: Date.now() + 500 });
    return Number(status.raftIndex);
  } catch {
    return undefined;
  } finally {
    probe.close();
  }
}

function killAndWait(child: ChildProcess | undefined, signal: NodeJS.Signals): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill(signal);
  });
}
