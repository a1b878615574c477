import { Injectable } from '@nestjs/common';
import type { WorkloadSpec, WorkloadView } from '@kailash/contracts';
import { Ownership } from '../ownership/ownership';
import { AgentState } from '../work/agent-state';
import { FunctionWorkloads } from './function-workloads';
import { WorkloadCatalog } from './workload-catalog';

/** The function workload use cases: admitted by the agent's state, MOVED when owned elsewhere. */
@Injectable()
export class WorkloadsService {
  constructor(
    private readonly functions: FunctionWorkloads,
    private readonly state: AgentState,
    private readonly ownership: Ownership,
    private readonly catalog: WorkloadCatalog,
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

  /** Adds a workload (kept across restarts); the same spec again answers its view unchanged. */
  deploy(spec: WorkloadSpec): Promise<WorkloadView> {
    return this.state.admit(() => this.viewOf(this.catalog.deploy(spec)));
  }

  list(): { workloads: WorkloadView[] } {
    return { workloads: this.catalog.all().map((spec) => this.viewOf(spec)) };
  }

  private viewOf(spec: WorkloadSpec): WorkloadView {
    const view: WorkloadView = this.functions.viewOf(spec.id) ?? {
      workloadId: spec.id,
      kind: spec.kind,
      warmInstances: 0,
      busyInstances: 0,
      initMs: null,
      memoryMb: null,
      keepAliveMs: null,
      owner: null,
    };
    return this.withOwner(view);
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
