import { RaftError } from '../../core/errors';
import { SeededRandom } from '../../core/random';
import { checkLinearizable } from '../linearizability/checker';
import { kvModel } from '../linearizability/kv-model';
import { SimCluster, type CoreFactory } from './cluster';
import { one } from './harness';
import { KvClients } from './kv-clients';
import { RELIABLE, UNRELIABLE, type NetworkFaults } from './network';

export interface RandomRunOptions {
  /** Virtual milliseconds of fault injection (then the cluster heals and must converge). */
  readonly faultMs?: number;
  readonly createCore?: CoreFactory;
  /** Deliberately unsafe reads, to show the linearizability check catches them. */
  readonly reads?: 'read-index' | 'local';
  /** Called with the cluster when the run fails, to dump state while debugging a seed. */
  readonly onFailure?: (cluster: SimCluster) => void;
}

export interface RandomRunResult {
  readonly seed: number;
  readonly ok: boolean;
  readonly error?: string;
  readonly operations: number;
  readonly events: number;
  readonly description: string;
}

const NETWORKS: readonly NetworkFaults[] = [
  RELIABLE,
  UNRELIABLE,
  {
    minDelayMs: 1,
    maxDelayMs: 15,
    dropRate: 0.03,
    duplicateRate: 0.03,
    longDelayRate: 0.02,
    longDelayMaxMs: 300,
  },
];

/**
 * One seed of the randomised fault test: a 3- or 5-node cluster under KV client load while a
 * nemesis partitions (fully, asymmetrically, partially), crashes, restarts, slows disks and degrades
 * the network. The safety invariants are checked after every event; at the end the cluster heals,
 * must commit again, and the client history must be linearizable.
 */
export function runRandomFaultSeed(seed: number, options: RandomRunOptions = {}): RandomRunResult {
  const random = new SeededRandom(seed);
  const voters = random.chance(0.5) ? 3 : 5;
  const network = random.pick(NETWORKS);
  const snapshotEvery = random.pick([0, 8, 40]);
  const membership = random.chance(0.3);
  const description = `voters=${voters} dropRate=${network.dropRate} snapshotEvery=${snapshotEvery}${membership ? ' membership' : ''}`;
  const cluster = new SimCluster({
    seed: random.nextUint32(),
    voters,
    network,
    snapshotEvery,
    raft: {
      snapshotChunkSize: 32 + random.nextInt(256),
      maxInflightMsgs: 1 + random.nextInt(64),
      // Sometimes one entry per append, so a new leader's old-term entries travel apart from its no-op.
      maxSizePerMsg: random.chance(0.3) ? 1 : 64 * 1024,
    },
    ...(options.createCore ? { createCore: options.createCore } : {}),
  });
  const clients = new KvClients(cluster, random.fork(), {
    clients: 3,
    keys: ['a', 'b'],
    timeoutMs: 600,
    readRatio: 0.3,
    casRatio: 0.3,
    reads: options.reads ?? 'read-index',
  });
  try {
    clients.start();
    runNemesis(cluster, random.fork(), options.faultMs ?? 1200, membership);
    heal(cluster);
    cluster.runFor(600);
    clients.stop();
    cluster.runFor(650); // let the last operations finish or time out (client timeout is 600 ms)
    one(cluster, 'final', cluster.confState().voters.length, 5000);
    const check = checkLinearizable(kvModel, clients.history);
    if (check.linearizable === 'unknown') throw new Error(`linearizability undecided: ${check.reason}`);
    if (!check.linearizable) {
      const lines = check.partition.map((op) => kvModel.describe?.(op) ?? '').slice(0, 40);
      throw new Error(`history not linearizable:\n${lines.join('\n')}`);
    }
    return { seed, ok: true, operations: clients.completed(), events: cluster.events, description };
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    options.onFailure?.(cluster);
    return {
      seed,
      ok: false,
      error: message,
      operations: clients.completed(),
      events: cluster.events,
      description,
    };
  }
}

function runNemesis(cluster: SimCluster, random: SeededRandom, faultMs: number, membership: boolean): void {
  const end = cluster.now + faultMs;
  let nextId = cluster.ids().length + 1;
  while (cluster.now < end) {
    if (membership && random.chance(0.3)) nextId = changeMembership(cluster, random, nextId);
    else injectFault(cluster, random);
    cluster.runFor(30 + random.nextInt(250));
  }
}

function injectFault(cluster: SimCluster, random: SeededRandom): void {
  const ids = cluster.ids();
  const node = random.pick(ids);
  const roll = random.nextInt(10);
  switch (roll) {
    case 0: // isolate one node
      cluster.disconnect(node);
      break;
    case 1: {
      // split into two random groups
      const shuffled = [...ids].sort(() => random.nextFloat() - 0.5);
      const cut = 1 + random.nextInt(ids.length - 1);
      cluster.links.partition([shuffled.slice(0, cut), shuffled.slice(cut)]);
      break;
    }
    case 2: // asymmetric: one direction of one link
      cluster.links.cutOneWay(node, random.pick(ids.filter((id) => id !== node)));
      break;
    case 3: // partially connected: lose one link both ways
      cluster.links.cutBothWays(node, random.pick(ids.filter((id) => id !== node)));
      break;
    case 4:
    case 5:
      cluster.links.healAll();
      break;
    case 6:
      cluster.crash(node);
      break;
    case 7:
      for (const id of ids) cluster.restart(id);
      break;
    case 8:
      cluster.setDiskLatency(node, random.chance(0.5) ? 0 : 5 + random.nextInt(60));
      break;
    default:
      cluster.network = random.pick(NETWORKS);
  }
}

/**
 * One single-server change proposed on the current leader: promote a learner, remove a voter (never
 * below 3), or start a brand-new node and add it as a learner. Ids are never reused, as etcd requires.
 * Refusals (no leader, change in progress, learner behind) are part of the game.
 */
function changeMembership(cluster: SimCluster, random: SeededRandom, nextId: number): number {
  const leader = cluster.leader();
  if (leader === undefined) return nextId;
  const { voters, learners } = cluster.confState();
  try {
    if (learners.length > 0 && random.chance(0.6)) {
      cluster.proposeConfChange(leader, { type: 'add-voter', nodeId: random.pick(learners) });
    } else if (voters.length > 3 && random.chance(0.5)) {
      cluster.proposeConfChange(leader, { type: 'remove-node', nodeId: random.pick(voters) });
    } else if (voters.length + learners.length < 6) {
      cluster.proposeConfChange(leader, { type: 'add-learner', nodeId: nextId });
      cluster.addNode(nextId);
      return nextId + 1;
    }
  } catch (error) {
    if (!(error instanceof RaftError)) throw error;
  }
  return nextId;
}

function heal(cluster: SimCluster): void {
  cluster.links.healAll();
  cluster.network = RELIABLE;
  for (const id of cluster.ids()) {
    cluster.restart(id);
    cluster.setDiskLatency(id, 0);
  }
}

/** How to replay one seed by hand (printed with every failure). */
export function replayCommand(seed: number, options: RandomRunOptions = {}): string {
  const variant = options.reads === 'local' ? ' --variant local-reads' : '';
  return `npm run soak:raft -- --from ${seed} --count 1 --verbose${variant}`;
}

export interface SeedRangeOutcome {
  readonly failures: string[];
  readonly operations: number;
}

/** Runs seeds [from, to); every failure names its seed and the command that replays it. */
export function runSeedRange(from: number, to: number, options: RandomRunOptions = {}): SeedRangeOutcome {
  const failures: string[] = [];
  let operations = 0;
  for (let seed = from; seed < to; seed++) {
    const result = runRandomFaultSeed(seed, options);
    operations += result.operations;
    if (!result.ok)
      failures.push(
        `seed ${seed} (${result.description}): ${result.error}\n  replay: ${replayCommand(seed, options)}`,
      );
  }
  return { failures, operations };
}
