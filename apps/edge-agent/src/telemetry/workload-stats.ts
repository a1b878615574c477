import type { LatencyHistogram, WorkloadMetrics } from '@kailash/contracts';
import { LATENCY_BUCKETS_MS } from '@kailash/contracts';

type Kind = WorkloadMetrics['kind'];

/** Counters of one workload over a telemetry window; `take` returns them and starts the next window. */
export class WorkloadStats {
  private requests = 0;
  private errors = 0;
  private cacheHits = 0;
  private coldStarts = 0;
  private counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
  private sumMs = 0;

  constructor(
    readonly workloadId: string,
    readonly kind: Kind,
  ) {}

  record(outcome: {
    readonly ms: number;
    readonly ok: boolean;
    readonly cold?: boolean;
    readonly hit?: boolean;
  }): void {
    this.requests++;
    if (!outcome.ok) this.errors++;
    if (outcome.cold) this.coldStarts++;
    if (outcome.hit) this.cacheHits++;
    this.sumMs += outcome.ms;
    const bucket = LATENCY_BUCKETS_MS.findIndex((bound) => outcome.ms <= bound);
    const index = bucket < 0 ? LATENCY_BUCKETS_MS.length : bucket;
    this.counts[index] = (this.counts[index] ?? 0) + 1;
  }

  take(gauges: { readonly warmInstances: number; readonly idleWarmMemoryBytes: number }): WorkloadMetrics {
    const latency: LatencyHistogram = {
      boundsMs: [...LATENCY_BUCKETS_MS],
      counts: this.counts,
      sumMs: this.sumMs,
      count: this.requests,
    };
    const metrics: WorkloadMetrics = {
      workloadId: this.workloadId,
      kind: this.kind,
      requests: this.requests,
      errors: this.errors,
      latency,
      cacheHits: this.cacheHits,
      coldStarts: this.coldStarts,
      ...gauges,
    };
    this.requests = this.errors = this.cacheHits = this.coldStarts = this.sumMs = 0;
    this.counts = new Array<number>(LATENCY_BUCKETS_MS.length + 1).fill(0);
    return metrics;
  }
}
