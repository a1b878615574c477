import { join } from 'node:path';
import { RequestClient } from '@kailash/backbone';
import { SubjectSpace } from '@kailash/contracts';
import { CoordinationClient } from '@kailash/coordination-client';
import { builtAppMain, connectTestNats, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import { jetstreamManager } from '@nats-io/jetstream';
import { REPLICA_API_KEY, ReplicaGroup } from './replica-process';

/**
 * Failover as a client sees it: a client writes in a loop against 3 replicas (default timings);
 * the leader is killed with SIGKILL; the figure is the time from the kill to the next acknowledged
 * write. Repeated ROUNDS times, restarting the killed replica in between. Run it with
 * `bash tools/bench/run.sh apps/coordination-svc/test/failover-probe.ts` (ROUNDS=5 by default).
 */
const ROUNDS = Number(process.env['ROUNDS'] ?? 5);

async function main(): Promise<void> {
  const root = join(__dirname, '..', '..', '..');
  const main = await builtAppMain('coordination-svc', root, 120_000);
  const namespace = uniqueName('coordfo');
  const group = new ReplicaGroup(main, namespace);
  for (const id of [1, 2, 3]) await group.start({ id, peers: [1, 2, 3] });
  await Promise.all(group.all().map((r) => r.process.ready(60_000)));
  const nc = await connectTestNats('coord-failover');
  const client = new CoordinationClient(
    new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY }),
  );
  const figures: number[] = [];
  try {
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
  } finally {
    await client.close();
    await group.stopAll();
    await deleteStreamsWithPrefix(await jetstreamManager(nc), namespace.toUpperCase());
    await nc.close();
  }
  const sorted = [...figures].sort((a, b) => a - b);
  console.log(
    `kill -9 of the leader → next acknowledged put, ${ROUNDS} rounds (ms): ${figures.map((f) => f.toFixed(0)).join(', ')}`,
  );
  console.log(
    `median ${sorted[Math.floor(sorted.length / 2)]?.toFixed(0)} ms, max ${sorted[sorted.length - 1]?.toFixed(0)} ms`,
  );
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
