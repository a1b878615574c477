import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { EdgeLifecycle } from '@kailash/contracts';
import { isKailashError } from '@kailash/contracts';
import { ReadinessProbes } from '@kailash/service-kit';
import type { AgentConfig } from '../config/agent-config';
import { AGENT_CONFIG } from '../config/agent-config';
import { FunctionWorkloads } from '../functions/function-workloads';
import { AgentState } from '../work/agent-state';
import { nextStepToActive } from './lifecycle-plan';
import { StateSvcClient } from './state-svc.client';

const RETRY_MS = 500;
const MAX_STEPS = 6;

/**
 * The agent's life: register (or adopt), take the lease `edge:<id>` and keep renewing it, warm the
 * declared workloads, go active; on SIGTERM go draining, finish what is in flight, release the
 * lease. Every lifecycle write carries the lease's fencing token, so state-svc refuses it from an
 * agent whose lease has moved on.
 */
@Injectable()
export class AgentLifecycle implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('AgentLifecycle');
  private stopping = false;
  private renewTimer: NodeJS.Timeout | undefined;
  private started: Promise<void> | undefined;
  /** Set once start() is through: from then on renewals also reconcile the lifecycle. */
  private running = false;
  private released = false;

  constructor(
    @Inject(AGENT_CONFIG) private readonly config: AgentConfig,
    private readonly state: AgentState,
    private readonly stateSvc: StateSvcClient,
    private readonly functions: FunctionWorkloads,
    probes: ReadinessProbes,
  ) {
    probes.register('registered', () => ({ up: state.registered }));
    probes.register('lease', () => ({
      up: state.leaseLive(),
      details: { fencingToken: state.fencingToken() },
    }));
    probes.register('lifecycle', () => ({
      up: state.lifecycle === 'active' && !state.draining,
      details: { lifecycle: state.lifecycle, draining: state.draining },
    }));
  }

  onApplicationBootstrap(): void {
    // In the background: the HTTP API (health, metrics) is up while the agent waits for its lease.
    this.started = this.start().catch((error: unknown) => {
      if (this.stopping) return;
      // Nothing it holds needs handing back: a lease it took expires by itself.
      process.stderr.write(`edge-agent could not start: ${String(error)}\n`);
      process.exit(1);
    });
  }

  async beforeApplicationShutdown(signal?: string): Promise<void> {
    this.stopping = true;
    this.state.draining = true;
    // Renewals go on while the work in flight finishes: the lease is handed back, not left to expire.
    this.logger.log({ msg: 'draining', signal, inFlight: this.state.inFlightCount() });
    await this.drainTransition();
    const idle = await this.state.whenIdle(this.config.shutdownGraceMs);
    if (!idle)
      this.logger.warn({ msg: 'grace ran out with work in flight', inFlight: this.state.inFlightCount() });
    this.released = true;
    clearTimeout(this.renewTimer);
    await this.releaseLease();
    await this.started;
  }

  private async start(): Promise<void> {
    const edge = await this.retrying('register', () => this.stateSvc.registerOrAdopt());
    this.state.registered = true;
    this.state.lifecycle = edge.lifecycle;
    this.logger.log({ msg: 'registered', edgeId: edge.edgeId, lifecycle: edge.lifecycle });
    await this.acquireLease();
    this.scheduleRenewal();
    await this.moveTowardsActive();
    this.running = true;
  }

  /** Waits for the lease: another holder's live lease must expire (or be released) first. */
  private async acquireLease(): Promise<void> {
    for (;;) {
      if (this.stopping) throw new Error('stopping');
      const requestedAt = performance.now();
      try {
        const lease = await this.stateSvc.acquire();
        this.state.holdLease(lease.fencingToken, lease.ttlMs, requestedAt);
        this.logger.log({
          msg: 'lease acquired',
          fencingToken: lease.fencingToken,
          expiresAt: lease.expiresAt,
        });
        return;
      } catch (error) {
        this.logger.log({ msg: 'lease not acquired yet', error: String(error) });
        await sleep(Math.min(this.config.renewEveryMs, 1_000));
      }
    }
  }

  private async moveTowardsActive(): Promise<void> {
    for (let steps = 0; steps < MAX_STEPS && !this.stopping; steps++) {
      const from = this.state.lifecycle ?? 'initialized';
      const next = nextStepToActive(from);
      if (next === undefined) return;
      if (next === 'impossible')
        throw new Error(`edge ${this.config.edgeId} is ${from}; it cannot come back`);
      if (next === 'active') await this.functions.warmDeclared();
      await this.transition(
        next,
        next === 'warming' ? 'agent started: warming its workloads' : 'agent ready',
      );
    }
  }

  private async transition(to: EdgeLifecycle, reason: string): Promise<void> {
    const token = this.state.fencingToken();
    if (token === null) throw new Error(`no live lease to move the edge to ${to} with`);
    try {
      const edge = await this.stateSvc.transition(to, reason, token);
      this.state.lifecycle = edge.lifecycle;
      this.logger.log({ msg: 'lifecycle', lifecycle: edge.lifecycle, fencingToken: token });
    } catch (error) {
      // The edge moved meanwhile (the expiry policy drained it): plan again from where it is.
      const from = isKailashError(error)
        ? (error.details as { from?: EdgeLifecycle } | undefined)?.from
        : undefined;
      if (!isKailashError(error) || error.code !== 'INVALID_TRANSITION' || !from) throw error;
      this.state.lifecycle = from;
    }
  }

  private scheduleRenewal(): void {
    if (this.released) return;
    this.renewTimer = setTimeout(
      () => void this.renewOnce().finally(() => this.scheduleRenewal()),
      this.config.renewEveryMs,
    );
  }

  /** Renews; a refusal means the lease is gone (expired, or taken over): stop serving and try to get it back. */
  private async renewOnce(): Promise<void> {
    const token = this.state.lastToken();
    const requestedAt = performance.now();
    try {
      if (token === null || !this.state.leaseLive()) throw new Error('no live lease');
      const lease = await this.stateSvc.renew(token);
      this.state.holdLease(lease.fencingToken, lease.ttlMs, requestedAt);
      await this.reconcile();
    } catch (error) {
      const refused = isKailashError(error) && error.code === 'CONFLICT';
      if (this.stopping) {
        if (refused) this.state.loseLease();
        return;
      }
      if (!refused && this.state.leaseLive()) {
        this.logger.warn({ msg: 'renewal failed; retrying', error: String(error) });
        return;
      }
      this.state.loseLease();
      this.logger.warn({ msg: 'lease lost', fencingToken: token, error: String(error) });
      await this.regain();
    }
  }

  private async regain(): Promise<void> {
    const requestedAt = performance.now();
    try {
      const lease = await this.stateSvc.acquire();
      this.state.holdLease(lease.fencingToken, lease.ttlMs, requestedAt);
      this.logger.log({ msg: 'lease acquired again', fencingToken: lease.fencingToken });
      await this.reconcile();
    } catch (error) {
      this.logger.log({ msg: 'lease still held elsewhere', error: String(error) });
    }
  }

  /** After a renewal: if something else moved the edge (the expiry policy), bring it back to active. */
  private async reconcile(): Promise<void> {
    if (this.stopping || !this.running) return;
    const edge = await this.stateSvc.edge();
    this.state.lifecycle = edge.lifecycle;
    if (edge.lifecycle !== 'active') await this.moveTowardsActive();
  }

  private async drainTransition(): Promise<void> {
    const token = this.state.lastToken();
    if (token === null || this.state.lifecycle !== 'active') return;
    try {
      const edge = await this.stateSvc.transition('draining', 'agent stopping', token);
      this.state.lifecycle = edge.lifecycle;
    } catch (error) {
      this.logger.warn({ msg: 'drain transition refused', fencingToken: token, error: String(error) });
    }
  }

  private async releaseLease(): Promise<void> {
    const token = this.state.fencingToken();
    this.state.loseLease();
    if (token === null) return;
    try {
      await this.stateSvc.release(token);
      this.logger.log({ msg: 'lease released', fencingToken: token });
    } catch (error) {
      this.logger.warn({ msg: 'lease release refused', fencingToken: token, error: String(error) });
    }
  }

  private async retrying<T>(what: string, work: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await work();
      } catch (error) {
        if (this.stopping) throw error;
        // state-svc not up yet (no responders, timeout) is worth waiting for; a refusal is not.
        if (isKailashError(error) && error.code !== 'UNAVAILABLE' && error.code !== 'TIMEOUT') throw error;
        this.logger.log({ msg: `${what}: state-svc not reachable yet`, error: String(error) });
        await sleep(RETRY_MS);
      }
    }
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
