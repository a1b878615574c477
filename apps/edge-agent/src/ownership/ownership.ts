import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { KailashError } from '@kailash/contracts';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { WorkloadCatalog } from '../functions/workload-catalog';
import { StateSvcClient } from '../lifecycle/state-svc.client';

/**
 * Who owns each of this edge's workloads, as state-svc records it (the owner of the state object
 * with the workload's id), refreshed every EDGE_OWNERSHIP_REFRESH_MS. A workload state-svc gives to
 * another edge is answered MOVED with that owner, so clients follow it without a proxy; one with
 * no recorded owner is this edge's own, as declared.
 */
@Injectable()
export class Ownership implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Ownership');
  private readonly owners = new Map<string, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    private readonly stateSvc: StateSvcClient,
    private readonly catalog: WorkloadCatalog,
  ) {}

  onApplicationBootstrap(): void {
    const tick = () => {
      void this.refresh().finally(() => {
        this.timer = setTimeout(tick, this.config.ownershipRefreshMs);
        this.timer.unref();
      });
    };
    tick();
  }

  onApplicationShutdown(): void {
    clearTimeout(this.timer);
  }

  /** Throws MOVED (421) naming the owner when another edge owns the workload now. */
  assertOwned(workloadId: string): void {
    const owner = this.owners.get(workloadId);
    if (owner === undefined || owner === this.config.edgeId) return;
    throw new KailashError('MOVED', `workload '${workloadId}' is now served by edge '${owner}'`, {
      workloadId,
      owner,
    });
  }

  ownerOf(workloadId: string): string {
    return this.owners.get(workloadId) ?? this.config.edgeId;
  }

  async refresh(): Promise<void> {
    for (const { id } of this.catalog.all()) {
      try {
        const owner = await this.stateSvc.ownerOf(id);
        if (owner) this.owners.set(id, owner);
        else this.owners.delete(id);
      } catch (error) {
        // Keep what was known: a brief outage of state-svc must not bounce every client.
        this.logger.debug({ msg: 'ownership not refreshed', workloadId: id, error: String(error) });
      }
    }
  }
}
