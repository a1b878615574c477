import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { NATS_CONNECTION } from '@kailash/service-kit';
import type { NatsConnection } from '@nats-io/transport-node';
import { Coordinator } from '../raft/coordinator';
import { Replica, type ReplicaSettings } from '../raft/replica';
import { observers } from '../raft/replica-observer';
import type { KvStateMachine } from '../state/kv-state-machine';
import { CoordEvents } from './coord-events';
import { CoordMetrics } from './coord.metrics';
import { REPLICA_SETTINGS, STATE_MACHINE } from './tokens';

/** Opens the replica's WAL at construction (so a broken one stops the boot) and runs it while the app runs. */
@Injectable()
export class ReplicaHost implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ReplicaHost.name);
  readonly replica: Replica;
  readonly coordinator: Coordinator;

  constructor(
    @Inject(REPLICA_SETTINGS) settings: ReplicaSettings,
    @Inject(NATS_CONNECTION) nc: NatsConnection,
    @Inject(STATE_MACHINE) machine: KvStateMachine,
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
    this.coordinator = new Coordinator(this.replica, machine, nc, settings.proposalTimeoutMs);
    const recovery = this.replica.storage.recovery;
    this.logger.log(
      `replica ${settings.id}: WAL ${recovery.segment}, ${recovery.records} records, ` +
        `${recovery.truncatedBytes} torn bytes dropped`,
    );
  }

  onApplicationBootstrap(): void {
    this.coordinator.start();
    this.replica.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.coordinator.stop();
    await this.replica.stop();
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
