/**
 * Coordination benchmark: the same closed-loop load against etcd (3 members on loopback) and
 * coordination-svc (3 replica processes over NATS) in one run: puts/s and latency at 1/16/64/256
 * in flight, a linearizable read's latency, and failover as a client sees it (kill -9 of the
 * leader to the next acknowledged put). Writes the coordination section of docs/benchmarks.md.
 *
 *   npm run bench:coordination [-- --seconds 5 --failovers 3 --coord-attempt-ms 250 --no-write]
 */
import { parseArgs } from 'node:util';
import { machineLine, writeBenchSection } from '../report';
import type { BenchCluster } from './bench-target';
import { ETCD_INSTALL_HINT, etcdVersion, startEtcdCluster } from './etcd-cluster';
import { measureFailover, type FailoverFigure } from './failover';
import { cpuPerOperation } from './cpu';
import { putLoad, readLoad, type LoadFigure } from './load';
import { coordinationTarget } from './targets';
import { renderSection, type TargetFigures } from './report-section';

const COMMAND = 'npm run bench:coordination';
const IN_FLIGHT = [1, 16, 64, 256];

async function measure(cluster: BenchCluster, seconds: number, failovers: number): Promise<TargetFigures> {
  const kv = await cluster.client();
  try {
    await putLoad(kv, 16, 1_000); // warm-up: connections, JIT, first elections settled
    const puts: (LoadFigure & { cpuMsPerPut: number[] })[] = [];
    for (const inFlight of IN_FLIGHT) {
      const { result, msPerOperation } = await cpuPerOperation(cluster.pids(), () =>
        putLoad(kv, inFlight, seconds * 1_000),
      );
      puts.push({ ...result, cpuMsPerPut: msPerOperation });
      console.log(cluster.name, 'puts', puts.at(-1));
    }
    const reads = await readLoad(kv, seconds * 1_000);
    console.log(cluster.name, 'reads', reads);
    const failover: FailoverFigure[] = [];
    for (let trial = 0; trial < failovers; trial++) {
      failover.push(await measureFailover(cluster, kv, 60_000));
      console.log(cluster.name, 'failover', failover.at(-1));
      await cluster.restartKilled();
    }
    return { name: cluster.name, retryPolicy: cluster.retryPolicy, puts, reads, failover };
  } finally {
    await kv.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '5' },
      failovers: { type: 'string', default: '3' },
      'no-write': { type: 'boolean', default: false },
      // Extra coordination-svc runs with a shorter client attempt timeout, e.g. `--coord-attempt-ms 250`.
      'coord-attempt-ms': { type: 'string', default: '' },
    },
  });
  const seconds = Number(values.seconds);
  const failovers = Number(values.failovers);
  const args = process.argv.slice(2).join(' ');
  const machine = machineLine(args ? `${COMMAND} -- ${args}` : COMMAND);
  const version = etcdVersion();
  if (!version) console.error(ETCD_INSTALL_HINT);
  const results: TargetFigures[] = [];
  const notes: string[] = [];
  if (version) {
    const etcd = await startEtcdCluster();
    try {
      results.push(await measure(etcd, seconds, failovers));
    } finally {
      await etcd.stop();
    }
  } else notes.push(`etcd not measured: ${ETCD_INSTALL_HINT}`);
  const attempts = [undefined, ...values['coord-attempt-ms'].split(',').filter(Boolean).map(Number)];
  for (const attempt of attempts) {
    const coordination = await coordinationTarget(attempt);
    if (typeof coordination === 'string') {
      notes.push(`coordination-svc not measured: ${coordination}`);
      break;
    }
    try {
      results.push(await measure(coordination, seconds, failovers));
    } finally {
      await coordination.stop();
    }
  }
  for (const note of notes) console.error(note);
  const section = renderSection({ machine, etcdVersion: version, seconds, results, notes });
  if (values['no-write']) console.log(section);
  else writeBenchSection('coordination', section);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
