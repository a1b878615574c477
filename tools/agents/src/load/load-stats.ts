import { DDSketch } from '@datadog/sketches-js';

export type Operation = 'workload.invoke' | 'kv.get' | 'kv.put';
export const OPERATIONS: readonly Operation[] = ['workload.invoke', 'kv.get', 'kv.put'];

interface OperationStats {
  sent: number;
  ok: number;
  failed: Map<string, number>;
  latency: DDSketch;
}

export interface OperationSummary {
  readonly operation: Operation;
  readonly sent: number;
  readonly ok: number;
  readonly failed: Readonly<Record<string, number>>;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
}

/** What the load generator saw, per operation: counts, errors by code, latency quantiles (DDSketch, 1 %). */
export class LoadStats {
  private readonly byOperation = new Map<Operation, OperationStats>(
    OPERATIONS.map((operation) => [operation, fresh()]),
  );
  /** Calls that reached their edge only after a MOVED answer. */
  moved = 0;
  /** Invocations the agent reported as cold starts. */
  coldStarts = 0;
  /** Gets of keys never written. */
  misses = 0;
  /** Arrivals not sent because too many requests were already in flight. */
  shed = 0;
  inFlight = 0;
  readonly servedBy = new Map<string, number>();

  sent(operation: Operation): void {
    this.of(operation).sent++;
    this.inFlight++;
  }

  succeeded(operation: Operation, ms: number, edgeId: string): void {
    const stats = this.of(operation);
    stats.ok++;
    stats.latency.accept(Math.max(ms, 0.001));
    this.inFlight--;
    this.servedBy.set(edgeId, (this.servedBy.get(edgeId) ?? 0) + 1);
  }

  /** A get of a key never written: answered correctly, counted as a miss beside the hits. */
  missed(ms: number): void {
    const stats = this.of('kv.get');
    stats.ok++;
    stats.latency.accept(Math.max(ms, 0.001));
    this.misses++;
    this.inFlight--;
  }

  failed(operation: Operation, code: string): void {
    const stats = this.of(operation);
    stats.failed.set(code, (stats.failed.get(code) ?? 0) + 1);
    this.inFlight--;
  }

  summary(): OperationSummary[] {
    return OPERATIONS.map((operation) => {
      const stats = this.of(operation);
      const measured = stats.latency.count > 0;
      return {
        operation,
        sent: stats.sent,
        ok: stats.ok,
        failed: Object.fromEntries(stats.failed),
        p50Ms: measured ? stats.latency.getValueAtQuantile(0.5) : null,
        p99Ms: measured ? stats.latency.getValueAtQuantile(0.99) : null,
      };
    });
  }

  totalSent(): number {
    return OPERATIONS.reduce((sum, operation) => sum + this.of(operation).sent, 0);
  }

  private of(operation: Operation): OperationStats {
    let stats = this.byOperation.get(operation);
    if (!stats) this.byOperation.set(operation, (stats = fresh()));
    return stats;
  }
}

function fresh(): OperationStats {
  return { sent: 0, ok: 0, failed: new Map(), latency: new DDSketch({ relativeAccuracy: 0.01 }) };
}
