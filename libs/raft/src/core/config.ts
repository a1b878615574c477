import { ConfigError } from './errors';
import type { RandomSource } from './random';
import type { NodeId } from './types';

export type ReadOnlyOption = 'safe' | 'lease-based';

export interface RaftConfig {
  readonly id: NodeId;
  /** Ticks without hearing from a leader before a follower campaigns; randomised in [T, 2T). */
  readonly electionTick?: number;
  /** Ticks between leader heartbeats; must be well below electionTick. */
  readonly heartbeatTick?: number;
  /** Randomness for election timeouts (seed it for deterministic runs). */
  readonly random: RandomSource;
  /** Index already applied by the state machine when restarting (defaults to the snapshot index). */
  readonly applied?: number;
  /** Upper bound on the bytes of entries in one append message (batching). */
  readonly maxSizePerMsg?: number;
  /** Max append messages in flight to one follower while replicating (pipelining). */
  readonly maxInflightMsgs?: number;
  /** Max bytes in flight to one follower; 0 = unlimited. */
  readonly maxInflightBytes?: number;
  /** Leader refuses proposals once this many payload bytes are uncommitted (BackpressureError). */
  readonly maxUncommittedEntriesSize?: number;
  /** Thesis §9.6: probe electability before bumping the term. */
  readonly preVote?: boolean;
  /** Leader steps down after an election timeout without hearing from a quorum. */
  readonly checkQuorum?: boolean;
  /** 'lease-based' serves reads without a quorum round; only safe with bounded clock drift. */
  readonly readOnlyOption?: ReadOnlyOption;
  /** Bytes of snapshot data per InstallSnapshot chunk. */
  readonly snapshotChunkSize?: number;
  /** A learner is promoted only when within this many entries of the leader's last index. */
  readonly maxLearnerLagForPromotion?: number;
}

export type ResolvedConfig = Required<Omit<RaftConfig, 'applied'>> & { readonly applied: number };

export const DEFAULTS = {
  electionTick: 10,
  heartbeatTick: 1,
  maxSizePerMsg: 64 * 1024,
  maxInflightMsgs: 256,
  maxInflightBytes: 0,
  maxUncommittedEntriesSize: 8 * 1024 * 1024,
  preVote: true,
  checkQuorum: true,
  readOnlyOption: 'safe' as ReadOnlyOption,
  snapshotChunkSize: 256 * 1024,
  maxLearnerLagForPromotion: 100,
} as const;

export function resolveConfig(config: RaftConfig): ResolvedConfig {
  const resolved: ResolvedConfig = {
    ...DEFAULTS,
    ...stripUndefined(config),
    id: config.id,
    random: config.random,
    applied: config.applied ?? 0,
  };
  if (!Number.isInteger(resolved.id) || resolved.id <= 0)
    throw new ConfigError('id must be a positive integer');
  if (resolved.heartbeatTick <= 0) throw new ConfigError('heartbeatTick must be positive');
  if (resolved.electionTick <= resolved.heartbeatTick) {
    throw new ConfigError('electionTick must be greater than heartbeatTick');
  }
  if (resolved.maxInflightMsgs <= 0) throw new ConfigError('maxInflightMsgs must be positive');
  if (resolved.snapshotChunkSize <= 0) throw new ConfigError('snapshotChunkSize must be positive');
  if (resolved.readOnlyOption === 'lease-based' && !resolved.checkQuorum) {
    throw new ConfigError(
      'lease-based reads require checkQuorum, or a deposed leader could serve stale reads',
    );
  }
  return resolved;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
