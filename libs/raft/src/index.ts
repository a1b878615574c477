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
