/**
 * Long chaos runs against coordination-svc, figures written to docs/coordination-chaos.md.
 *
 *   npm run chaos:coordination -- --minutes 30 [--partition-minutes 5] [--no-partition] [--seed 1]
 *
 * Process faults: 3 replicas on loopback, kill -9 / SIGSTOP / restarts in turn. Partitions (needs
 * root): each replica and its own nats-server in a network namespace, a NATS cluster of 3, the
 * links of a follower and then of the leader cut and restored, a client on the cut side.
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { seededRandom } from '@kailash/random';
import type { ChaosOperation, ChaosScenarioResult } from '@kailash/testing';
import {
  builtAppMain,
  canCreateNetworkLab,
  ProcessCluster,
  runChaosScenario,
  startNatsServer,
  uniqueName,
  verdictLine,
} from '@kailash/testing';
import { chaosGroup, connectChaosClient } from '../../../apps/coordination-svc/test/chaos-replicas';
import { machineLine } from '../../bench/report';
import type { MinorityProbe } from '../../../apps/coordination-svc/test/partition-probe';
import { startPartitionCluster } from '../../../apps/coordination-svc/test/partition-cluster';
import { writeChaosDoc, type ChaosReport } from './report';
import { runRounds } from './rounds';

const ROOT = join(__dirname, '..', '..', '..');
const wallNow = () => performance.timeOrigin + performance.now();

async function processChaos(main: string, minutes: number, seed: number): Promise<ChaosScenarioResult> {
  const nats = await startNatsServer({
    config: ({ port, storeDir, host }) => `listen: "${host}:${port}"\njetstream { store_dir: "${storeDir}" }`,
  });
  const namespace = uniqueName('coordchaos');
  const group = await chaosGroup({ main, namespace, ids: [1, 2, 3], natsUrl: () => nats.url });
  const cluster = new ProcessCluster(group.specs);
  cluster.startAll();
  const random = seededRandom(seed);
  try {
    return await runRounds(
      minutes * 60_000,
      (index) => ({
        cluster,
        connect: () => connectChaosClient([nats.url], namespace),
        clients: 4,
        keys: [0, 1, 2].map((k) => `${namespace}/r${index}/k${k}`),
        kinds: ['kill-leader', 'pause-leader', 'kill-follower'],
        maxFaults: 3,
        durationMs: Number.POSITIVE_INFINITY,
        downMs: 1_500,
        pauseMs: 2_500,
        healMs: 2_500,
        thinkMs: 5,
        random,
        now: wallNow,
      }),
      runChaosScenario,
      (index, r) =>
        console.log(
          `process round ${index}: ${r.faults.faults.length} faults; ${verdictLine(r.verdict, r.summary)}`,
        ),
    );
  } finally {
    await cluster.stopAll();
    group.removeData();
    await nats.stop();
  }
}

async function partitionChaos(
  main: string,
  minutes: number,
  seed: number,
): Promise<ChaosScenarioResult & { minority: MinorityProbe[] }> {
  const partition = await startPartitionCluster(main);
  const random = seededRandom(seed + 1);
  const allOperations: (readonly ChaosOperation[])[] = [];
  try {
    const result = await runRounds(
      minutes * 60_000,
      (index) => ({
        ...partition.round([0, 1, 2].map((k) => `${partition.namespace}/p${index}/k${k}`)),
        random,
      }),
      async (options) => {
        const round = await runChaosScenario(options);
        allOperations.push(round.history);
        return round;
      },
      (index, r) => console.log(`partition round ${index}: ${verdictLine(r.verdict, r.summary)}`),
    );
    const history = allOperations.flat();
    for (const probe of partition.probes.results)
      probe.majorityAcknowledged = history.filter(
        (op) => isAcknowledgedWrite(op) && op.call >= probe.from && op.ret <= probe.to && op.clientId < 1_000,
      ).length;
    return { ...result, minority: partition.probes.results };
  } finally {
    await partition.stop();
  }
}

function isAcknowledgedWrite(op: ChaosOperation): boolean {
  if (op.input.op === 'get' || op.output === undefined) return false;
  return op.input.op === 'put' || ('ok' in op.output && op.output.ok);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '5' },
      'partition-minutes': { type: 'string', default: '2' },
      'no-partition': { type: 'boolean', default: false },
      seed: { type: 'string', default: String(Date.now() % 1_000_000) },
    },
  });
  const minutes = Number(values.minutes);
  const seed = Number(values.seed);
  const command = `npm run chaos:coordination -- --minutes ${minutes} --partition-minutes ${values['partition-minutes']} --seed ${seed}`;
  const machine = machineLine(command);
  const main = await builtAppMain('coordination-svc', ROOT, 180_000);
  const notes: string[] = [];
  const report: ChaosReport = { machine, command, notes, process: await processChaos(main, minutes, seed) };
  let partition: ChaosReport['partition'];
  if (values['no-partition']) notes.push('Partitions not run (--no-partition).');
  else if (!canCreateNetworkLab())
    notes.push('Partitions not run: creating network namespaces needs root (CAP_NET_ADMIN).');
  else partition = await partitionChaos(main, Number(values['partition-minutes']), seed);
  writeChaosDoc({ ...report, partition });
  const failed =
    [report.process, partition].some(
      (r) => r && (r.verdict.linearizable !== true || r.verdict.lostWrites.length > 0),
    ) ||
    (partition?.minority.some((m) => m.acknowledged > 0) ?? false);
  console.log(failed ? 'VIOLATION: see docs/coordination-chaos.md' : 'no violation');
  process.exitCode = failed ? 1 : 0;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error);
    process.exit(2);
  },
);
