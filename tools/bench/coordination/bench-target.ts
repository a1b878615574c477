/**
 * What the coordination benchmark drives: a key-value client and a cluster it can kill the leader
 * of. etcd and coordination-svc both implement it, so one load generator measures both in one run.
 */
export interface BenchKv {
  put(key: string, value: string): Promise<void>;
  /** A linearizable read. */
  get(key: string): Promise<string | null>;
  close(): Promise<void>;
}

export interface BenchCluster {
  readonly name: string;
  /** How its client retries across a leader change, for the report. */
  readonly retryPolicy: string;
  client(): Promise<BenchKv>;
  /**
   * kill -9 of the current leader; resolves with the moment the signal was sent (performance.now())
   * and a promise of the moment a surviving member first reported itself leader.
   */
  killLeader(): Promise<{ readonly killedAt: number; readonly elected: Promise<number> }>;
  /** Restarts every killed member and waits until the cluster has a leader again. */
  restartKilled(): Promise<void>;
  stop(): Promise<void>;
  /** Process ids of the running members, for CPU accounting. */
  pids(): ReadonlyMap<string, number>;
}
