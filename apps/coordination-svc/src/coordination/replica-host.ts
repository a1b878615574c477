import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NATS_CONNECTION } from '@kailash/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { Coordinator } from '../raft/coordinator';
import { Replica, type ReplicaSettings } from '../raft/replica';
import { observers } from '../raft/replica-observer';
import { dueLeases } from '@kailash/coordination';
import type { CoordinationMachine } from '../state/coordination-machine';
import { CoordEvents } from './coord-events';
import { CoordMetrics } from './coord.metrics';
import { REPLICA_SETTINGS, STATE_MACHINE } from './tokens';

/** How often the leader looks for leases past their deadline. */
const LEASE_CHECK_MS = 100;

/** Opens the replica's WAL at construction (so a broken one stops the boot) and runs it while the app runs. */
@Injectable()
export class ReplicaHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaHost.name);
  readonly replica: Replica;
  readonly coordinator: Coordinator;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiring = false;

  constructor(
    @Inject(REPLICA_SETTINGS) settings: ReplicaSettings,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(STATE_MACHINE) private readonly machine: CoordinationMachine,
    metrics: CoordMetrics,
    events: CoordEvents,
  ) {
    this.replica = new Replica(settings, {
      nc,
      stateMachine: machine,
      observer: observers(metrics, events, this.logging()),
    });
    events.leaderOf = () => this.replica.leader();
    metrics.indexes = () => this.replica.node.status();
    machine.onApplied((applied) => events.factsApplied(applied));
    this.coordinator = new Coordinator(this.replica, nc, settings.proposalTimeoutMs);
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

  /**
   * Only the leader decides that a lease expired, on its own clock, and proposes it as an entry; the
   * state machine ends each lease only if it is still past its deadline at that entry's time.
   */
  private expireDueLeases(): void {
    if (this.expiring || !this.replica.isLeader()) return;
    const ids = dueLeases(this.machine.state, Date.now());
    if (ids.length === 0) return;
    this.expiring = true;
    this.coordinator
      .write({ op: 'lease.expire', ids })
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
