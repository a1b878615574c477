import { Inject, Injectable } from '@nestjs/common';
import { RequestClient } from '@kailash/backbone';
import type { EdgeLifecycle, EdgeView, LeaseView } from '@kailash/contracts';
import {
  AcquireLease,
  GetEdge,
  GetStateObject,
  isKailashError,
  RegisterEdge,
  ReleaseLease,
  RenewLease,
  TransitionEdge,
} from '@kailash/contracts';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';

const REQUEST_TIMEOUT_MS = 5_000;

/** The agent's calls to state-svc over NATS, authenticated with SERVICE_API_KEY. */
@Injectable()
export class StateSvcClient {
  private readonly resource: string;

  constructor(
    private readonly requests: RequestClient,
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
  ) {
    this.resource = `edge:${config.edgeId}`;
  }

  /** Registers the edge, or adopts the registration it already has (a restart). */
  async registerOrAdopt(): Promise<EdgeView> {
    const { edgeId, name, region, location, zones, capacity, endpoint } = this.config;
    try {
      return await this.requests.send(
        RegisterEdge,
        {
          edgeId,
          name,
          region,
          location,
          zones: [...zones],
          capacity,
          tags: { agent: 'edge-agent' },
          endpoint,
        },
        { timeoutMs: REQUEST_TIMEOUT_MS },
      );
    } catch (error) {
      if (!isKailashError(error) || error.code !== 'CONFLICT') throw error;
      return this.edge();
    }
  }

  edge(): Promise<EdgeView> {
    return this.requests.send(GetEdge, { edgeId: this.config.edgeId }, { timeoutMs: REQUEST_TIMEOUT_MS });
  }

  acquire(): Promise<LeaseView> {
    const { holder, leaseTtlMs: ttlMs } = this.config;
    return this.requests.send(
      AcquireLease,
      { resource: this.resource, holder, ttlMs },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  renew(fencingToken: number): Promise<LeaseView> {
    const { holder } = this.config;
    return this.requests.send(
      RenewLease,
      { resource: this.resource, holder, fencingToken },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  release(fencingToken: number): Promise<LeaseView> {
    const { holder } = this.config;
    return this.requests.send(
      ReleaseLease,
      { resource: this.resource, holder, fencingToken },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  /** A lifecycle move fenced by the lease: refused by state-svc unless that grant is still live. */
  transition(to: EdgeLifecycle, reason: string, fencingToken: number): Promise<EdgeView> {
    return this.requests.send(
      TransitionEdge,
      { edgeId: this.config.edgeId, to, reason, fencingToken },
      { timeoutMs: REQUEST_TIMEOUT_MS },
    );
  }

  /** The owner edge state-svc records for a workload's state object; undefined when none is recorded. */
  async ownerOf(workloadId: string): Promise<string | null | undefined> {
    try {
      const view = await this.requests.send(
        GetStateObject,
        { objectId: workloadId },
        { timeoutMs: REQUEST_TIMEOUT_MS },
      );
      return view.owner;
    } catch (error) {
      if (isKailashError(error) && error.code === 'NOT_FOUND') return undefined;
      throw error;
    }
  }
}
