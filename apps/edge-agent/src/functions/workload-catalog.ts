import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { Inject, Injectable } from '@nestjs/common';
import type { WorkloadSpec } from '@kailash/contracts';
import { KailashError, parseWith, workloadSpecsSchema } from '@kailash/contracts';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';

const MAX_WORKLOADS = 256;

/**
 * The edge's workloads: those EDGE_WORKLOADS declares and those deployed by command. Deployed ones
 * are kept in `<EDGE_DATA_DIR>/workloads.json` (written to a temporary file, fsynced, renamed), so
 * they are there again after a restart; the declared ones win over a stored one with the same id.
 */
@Injectable()
export class WorkloadCatalog {
  private readonly specs = new Map<string, WorkloadSpec>();
  private readonly deployed: WorkloadSpec[] = [];
  private readonly listeners: ((spec: WorkloadSpec) => void)[] = [];
  private readonly file: string;

  constructor(@Inject(AGENT_CONFIG) private readonly config: AgentConfig) {
    this.file = join(config.dataDir, 'workloads.json');
    for (const spec of config.workloads) this.specs.set(spec.id, spec);
    for (const spec of this.stored()) {
      if (this.specs.has(spec.id)) continue;
      this.specs.set(spec.id, spec);
      this.deployed.push(spec);
    }
  }

  all(): readonly WorkloadSpec[] {
    return [...this.specs.values()];
  }

  get(id: string): WorkloadSpec | undefined {
    return this.specs.get(id);
  }

  /** Called for every workload deployed from now on (the pools add it). */
  onDeploy(listener: (spec: WorkloadSpec) => void): void {
    this.listeners.push(listener);
  }

  /** Adds a workload; the same spec again changes nothing, a different one under a taken id is a CONFLICT. */
  deploy(spec: WorkloadSpec): WorkloadSpec {
    const existing = this.specs.get(spec.id);
    if (existing) {
      if (JSON.stringify(existing) === JSON.stringify(spec)) return existing;
      throw new KailashError('CONFLICT', `workload '${spec.id}' exists with another spec`, {
        reason: 'workload-exists',
        workloadId: spec.id,
      });
    }
    if (this.specs.size >= MAX_WORKLOADS)
      throw new KailashError('CONFLICT', `an edge holds at most ${MAX_WORKLOADS} workloads`, {
        reason: 'too-many-workloads',
      });
    this.persist([...this.deployed, spec]);
    this.deployed.push(spec);
    this.specs.set(spec.id, spec);
    this.listeners.forEach((listener) => listener(spec));
    return spec;
  }

  private stored(): WorkloadSpec[] {
    if (!existsSync(this.file)) return [];
    return parseWith(workloadSpecsSchema, JSON.parse(readFileSync(this.file, 'utf8')), this.file);
  }

  private persist(specs: readonly WorkloadSpec[]): void {
    mkdirSync(this.config.dataDir, { recursive: true });
    const temporary = `${this.file}.tmp`;
    const fd = openSync(temporary, 'w');
    try {
      writeSync(fd, JSON.stringify(specs));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.file);
  }
}
