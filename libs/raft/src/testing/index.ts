// Test tooling for code built on @kailash/raft: the deterministic simulator (every node runs the
// library's RaftDriver), its safety checks, fault-injecting network, KV workload and the
// linearizability checker. Not part of the core entry point: production code never imports it.
export { SimCluster, type ClusterOptions, type CoreFactory, type ProposeOutcome } from './sim/cluster';
export { InvariantViolation, SafetyChecker, type DurableLogView } from './sim/invariants';
export { Links, RELIABLE, UNRELIABLE, type NetworkFaults } from './sim/network';
export { KvStateMachine, encodeKvCommand, type KvCommand, type KvResult } from './sim/kv-state-machine';
export {
  KvClients,
  type KvClientOptions,
  type KvInput,
  type KvOutput,
  type Operation,
} from './sim/kv-clients';
export { ScenarioError, checkNoLeader, checkOneLeader, leaderAmong, nCommitted, one } from './sim/harness';
export {
  runRandomFaultSeed,
  runSeedRange,
  replayCommand,
  type RandomRunOptions,
  type RandomRunResult,
  type SeedRangeOutcome,
} from './sim/random-fault-run';
export { checkLinearizable, type CheckResult } from './linearizability/checker';
export type { Model, HistoryOperation } from './linearizability/model';
export { kvModel } from './linearizability/kv-model';
