import { Injectable } from '@nestjs/common';

export interface ReadinessResult {
  readonly up: boolean;
  readonly message?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

export type ReadinessProbe = () => ReadinessResult | Promise<ReadinessResult>;

/**
 * What a service adds to `/health/ready` beyond what the kit checks itself (an edge agent: its
 * registration, its lease, its store). A slice registers its probes when it starts.
 */
@Injectable()
export class ReadinessProbes {
  private readonly probes = new Map<string, ReadinessProbe>();

  register(name: string, probe: ReadinessProbe): void {
    if (this.probes.has(name)) throw new Error(`readiness probe '${name}' is registered twice`);
    this.probes.set(name, probe);
  }

  entries(): readonly [string, ReadinessProbe][] {
    return [...this.probes.entries()];
  }
}
