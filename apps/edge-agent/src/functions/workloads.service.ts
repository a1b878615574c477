import { Injectable } from '@nestjs/common';
import type { WorkloadView } from '@kailash/contracts';
import { Ownership } from '../ownership/ownership';
import { AgentState } from '../work/agent-state';
import { FunctionWorkloads } from './function-workloads';

/** The function workload use cases: admitted by the agent's state, MOVED when owned elsewhere. */
@Injectable()
export class WorkloadsService {
  constructor(
    private readonly functions: FunctionWorkloads,
    private readonly state: AgentState,
    private readonly ownership: Ownership,
  ) {}

  async invoke(workloadId: string) {
    const owned = this.owned(workloadId);
    const invocation = await this.state.admit(() => this.functions.invoke(owned));
    return { workloadId, ...invocation };
  }

  prewarm(workloadId: string, instances: number, ttlMs?: number): Promise<WorkloadView> {
    const owned = this.owned(workloadId);
    return this.state.admit(async () =>
      this.withOwner(await this.functions.prewarm(owned, instances, ttlMs)),
    );
  }

  cool(workloadId: string): Promise<WorkloadView> {
    const owned = this.owned(workloadId);
    return this.state.admit(() => this.withOwner(this.functions.cool(owned)));
  }

  list(): { workloads: WorkloadView[] } {
    return { workloads: this.functions.views().map((view) => this.withOwner(view)) };
  }

  private owned(workloadId: string): string {
    // Unknown ids are NOT_FOUND from the pool; a known one owned elsewhere is MOVED.
    if (this.functions.has(workloadId)) this.ownership.assertOwned(workloadId);
    return workloadId;
  }

  private withOwner(view: WorkloadView): WorkloadView {
    return { ...view, owner: this.ownership.ownerOf(view.workloadId) };
  }
}
