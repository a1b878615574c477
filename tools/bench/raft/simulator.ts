import { BackpressureError, NotLeaderError } from '@kailash/raft';
import { SimCluster } from '@kailash/raft/testing';

export interface SimulatorFigure {
  readonly voters: number;
  readonly committed: number;
  readonly wallSeconds: number;
  readonly commitsPerSecond: number;
  readonly cpuMicrosPerEntry: number;
  readonly virtualSeconds: number;
}

/**
 * Drives a simulated cluster as fast as the CPU allows: the leader receives 128-byte KV puts in
 * batches while the network delivers in 1 ms, until `target` entries are applied on the leader.
 * Every replica runs in this one process, so CPU per entry covers the whole cluster. The safety
 * checker is off here (it is on in every test); figures are for the core + simulator.
 */
export function measureSimulator(voters: number, target: number): SimulatorFigure {
  const cluster = new SimCluster({
    seed: voters,
    voters,
    checkInvariants: false,
    network: {
      minDelayMs: 1,
      maxDelayMs: 1,
      dropRate: 0,
      duplicateRate: 0,
      longDelayRate: 0,
      longDelayMaxMs: 0,
    },
  });
  cluster.runUntil(() => cluster.leader() !== undefined, 5000);
  const leader = cluster.leader();
  if (leader === undefined) throw new Error('no leader');
  const value = 'v'.repeat(128);
  const startApplied = cluster.appliedIndex(leader);
  const startVirtual = cluster.now;
  const cpuStart = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  while (cluster.appliedIndex(leader) - startApplied < target) {
    for (let i = 0; i < 64; i++) {
      try {
        cluster.proposeValue(leader, value);
      } catch (error) {
        if (error instanceof BackpressureError || error instanceof NotLeaderError) break;
        throw error;
      }
    }
    cluster.runFor(1);
  }
  const wallSeconds = Number(process.hrtime.bigint() - wallStart) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  const committed = cluster.appliedIndex(leader) - startApplied;
  return {
    voters,
    committed,
    wallSeconds,
    commitsPerSecond: committed / wallSeconds,
    cpuMicrosPerEntry: (cpu.user + cpu.system) / committed,
    virtualSeconds: (cluster.now - startVirtual) / 1000,
  };
}
