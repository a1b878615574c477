import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { NATS_CONNECTION } from '@kailash/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { Coordinator } from '../raft/coordinator';
import { Replica, type ReplicaSettings } from '../raft/replica';
import { EXTRA_REPLICA_OBSERVER, observers, type ReplicaObserver } from '../raft/replica-observer';
import { leaseExpiryCommand } from '@kailash/coordination';
import type { CoordinationMachine } from '../state/coordination-machine';
import { CoordEvents } from './coord-events';
import { CoordMetrics } from './coord.metrics';
import { REPLICA_SETTINGS, STATE_MACHINE } from './tokens';

/** How often the leader looks for leases past their deadline. */
const LEASE_CHECK_MS = 100;
const FORWARD_TIMEOUT_MS = 1_000;

/** Opens the replica's WAL at construction (so a broken one stops the boot) and runs it while the app runs. */
@Injectable()
export class ReplicaHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaHost.name);
  readonly replica: Replica;
  readonly coordinator: Coordinator;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiring = false;
  private readonly leadershipListeners: ((leading: boolean) => void)[] = [];

  constructor(
    @Inject(REPLICA_SETTINGS) settings: ReplicaSettings,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(STATE_MACHINE) private readonly machine: CoordinationMachine,
    metrics: CoordMetrics,
    events: CoordEvents,
    @Optional() @Inject(EXTRA_REPLICA_OBSERVER) extra?: ReplicaObserver,
  ) {
    this.replica = new Replica(settings, {
      nc,
      stateMachine: machine,
      observer: observers(metrics, events, this.logging(), this.leadership(), ...(extra ? [extra] : [])),
      onFailure: (error) => {
        // The WAL is the truth: exit, and the restarted process replays it (as etcd stops on a failed fsync).
        this.logger.fatal(`replica stopped: ${error.message}; exiting so it restarts from its WAL`);
        process.exit(1);
      },
    });
    events.leaderOf = () => this.replica.leader();
    metrics.indexes = () => this.replica.node.status();
    const committedAtBoot = this.replica.node.status().commit;
    events.replayed = (index) => index <= committedAtBoot;
    machine.onApplied((applied) => events.factsApplied(applied, machine.state.now));
    // A forward to a leader that just died is lost, not refused: give up well before the client would.
    this.coordinator = new Coordinator(
      this.replica,
      nc,
      Math.min(settings.proposalTimeoutMs, FORWARD_TIMEOUT_MS),
    );
    const recovery = this.replica.storage.recovery;
    this.logger.log(
      `replica ${settings.id}: WAL ${recovery.segment}, ${recovery.records} records, ` +
        `${recovery.truncatedBytes} torn bytes dropped`,
    );
  }

  onApplicationBootstrap(): void {
    this.coordinator.start();
    this.replica.start();
    this.expiryTimer = setInterval(() => this.expireDueLeases(), LEASE_CHECK_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.expiryTimer);
    this.coordinator.stop();
    await this.replica.stop();
  }

  /** Tells `listener` whether this replica leads, now and at every change of role. */
  watchLeadership(listener: (leading: boolean) => void): void {
    this.leadershipListeners.push(listener);
    listener(this.replica.isLeader());
  }

  private leadership() {
    return {
      ...observers(),
      softState: (soft: { role: string }, previous: { role: string }) => {
        if ((soft.role === 'leader') === (previous.role === 'leader')) return;
        for (const listener of this.leadershipListeners) listener(soft.role === 'leader');
      },
    };
  }

  /**
   * Only the leader decides that a lease expired, on its own clock, and proposes it as an entry; the
   * state machine ends each lease only if it is still past its deadline at that entry's time.
   */
  private expireDueLeases(): void {
    if (this.expiring || !this.replica.isLeader()) return;
    const command = leaseExpiryCommand(this.machine.state, Date.now());
    if (!command) return;
    this.expiring = true;
    this.coordinator
      .write(command)
      .catch((error: Error) => this.logger.warn(`lease expiry not proposed: ${error.message}`))
      .finally(() => (this.expiring = false));
  }

  private logging() {
    const logger = this.logger;
    return {
      ...observers(),
      softState: (
        soft: { lead: number; role: string },
        previous: { lead: number; role: string },
        term: number,
      ) => {
        if (soft.lead !== previous.lead || soft.role !== previous.role)
          logger.log(`role ${soft.role}, leader ${soft.lead || 'unknown'}, term ${term}`);
      },
      refusedBatch: (reason: string) => logger.warn(`peer message refused: ${reason}`),
      snapshotTaken: (index: number, bytes: number) => logger.log(`snapshot at ${index}: ${bytes} bytes`),
      snapshotRestored: (index: number, bytes: number) =>
        logger.log(`snapshot installed at ${index}: ${bytes} bytes`),
    };
  }
}
