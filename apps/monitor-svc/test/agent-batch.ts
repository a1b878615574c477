import type { MetricsBatch } from '@kailash/contracts';

type HostMetrics = MetricsBatch['host'];
type ProcessMetrics = MetricsBatch['process'];

export interface AgentBatchShape {
  readonly edgeId: string;
  readonly sequence?: number;
  /** The window's end; its start is `windowMs` before. */
  readonly endMs: number;
  readonly windowMs?: number;
  readonly process?: Partial<ProcessMetrics>;
  readonly host?: Partial<HostMetrics>;
}

/** A metrics batch as an agent publishes it, quiet unless the test says otherwise. */
export function agentBatch(shape: AgentBatchShape): MetricsBatch {
  const windowMs = shape.windowMs ?? 10_000;
  return {
    edgeId: shape.edgeId,
    instanceId: 'agent-1',
    sequence: shape.sequence ?? 1,
    windowStart: new Date(shape.endMs - windowMs).toISOString(),
    windowEnd: new Date(shape.endMs).toISOString(),
    process: {
      cpuPercent: 1,
      rssBytes: 1,
      heapUsedBytes: 1,
      eventLoopLagMs: { mean: 1, p99: 1, max: 1 },
      ...shape.process,
    },
    host: {
      cpuCount: 2,
      cpuBusyPercent: 10,
      loadAverage1m: 0.2,
      memoryTotalBytes: 1000,
      memoryFreeBytes: 500,
      diskUsedBytes: 1,
      diskFreeBytes: 1,
      ...shape.host,
    },
    workloads: [],
  };
}
