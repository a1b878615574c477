// Core
export { RawNode, type Ready, type Status, type ProgressStatus } from './core/raw-node';
export { Raft, type ProposedEntry } from './core/raft';
export { DEFAULTS as RAFT_DEFAULTS, resolveConfig, type RaftConfig, type ReadOnlyOption, type ResolvedConfig } from './core/config';
export { SeededRandom, type RandomSource } from './core/random';
export { encodeConfChange, decodeConfChange } from './core/conf-change';
export * from './core/errors';
export * from './core/types';
// Storage
export type { RaftStorage, InitialState } from './storage/storage';
export { MemoryStorage } from './storage/memory-storage';
// Simulator and checking tools
export { SimCluster, type ClusterOptions, type CoreFactory } from './sim/cluster';
export { InvariantViolation, SafetyChecker } from './sim/invariants';
export { Links, RELIABLE, UNRELIABLE, type NetworkFaults } from './sim/network';
export { KvStateMachine, encodeKvCommand, type KvCommand, type KvResult } from './sim/kv-state-machine';
export { DiskStorage, type SaveBatch, type RecoveryReport } from './storage/disk-storage';
export type { WalStats } from './storage/wal/segment-file';
export { checkLinearizable, type CheckResult } from './linearizability/checker';
export type { Model, HistoryOperation } from './linearizability/model';
export { kvModel } from './linearizability/kv-model';
export type { KvInput, KvOutput, Operation } from './sim/kv-clients';
export { runRandomFaultSeed, runSeedRange, replayCommand, type RandomRunOptions, type RandomRunResult } from './sim/random-fault-run';
