import { Inject, Injectable } from '@nestjs/common';
import type { CoordSession, RequestData } from '@kailash/contracts';
import type { CoordDelete, CoordGet, CoordPut, CoordRange, CoordTxn, CoordWatch } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import { Coordinator } from '../raft/coordinator';
import type { KvCommand, KvStateMachine, WatchEvent } from '../state/kv-state-machine';
import { KvStateMachine as Machine } from '../state/kv-state-machine';
import { CoordMetrics } from './coord.metrics';
import { STATE_MACHINE } from './tokens';

/** The KV operations, the same behind REST and NATS: writes through the log, reads after ReadIndex. */
@Injectable()
export class KvService {
  constructor(
    private readonly coordinator: Coordinator,
    @Inject(STATE_MACHINE) private readonly machine: KvStateMachine,
    private readonly metrics: CoordMetrics,
  ) {}

  put({ key, value, session }: RequestData<typeof CoordPut>) {
    return this.write({ type: 'put', key, value }, session);
  }

  delete({ key, prefix, session }: RequestData<typeof CoordDelete>) {
    return this.write({ type: 'delete', key, ...(prefix ? { prefix } : {}) }, session);
  }

  txn({ compare, success, failure, session }: RequestData<typeof CoordTxn>) {
    return this.write({ type: 'txn', compare, success, failure }, session);
  }

  get({ key, consistency }: RequestData<typeof CoordGet>) {
    return this.coordinator.read({ type: 'get', key }, consistency);
  }

  range({ prefix, limit, consistency }: RequestData<typeof CoordRange>) {
    return this.coordinator.read({ type: 'range', prefix, limit }, consistency);
  }

  /** Changes from `fromRevision` on; waits up to `waitMs` for the first one if there is none yet. */
  async watch({ key, prefix, fromRevision, waitMs }: RequestData<typeof CoordWatch>) {
    const now = this.machine.eventsSince(key, prefix, fromRevision);
    if (now.compacted || now.events.length > 0 || waitMs === 0) return now;
    await new Promise<void>((resolve) => {
      const matches = (event: WatchEvent) => (prefix ? event.key.startsWith(key) : event.key === key);
      const timer = setTimeout(done, waitMs);
      const stop = this.machine.onChange((event) => {
        if (matches(event) && event.revision >= fromRevision) done();
      });
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
    return this.machine.eventsSince(key, prefix, fromRevision);
  }

  private async write(command: KvCommand, session: CoordSession | undefined): Promise<unknown> {
    const data = Machine.encode({
      command,
      ...(session
        ? {
            clientId: session.clientId,
            seq: session.seq,
            ...(session.ackBelow ? { ackBelow: session.ackBelow } : {}),
          }
        : {}),
    });
    const stopTimer = this.metrics.commitLatency.startTimer();
    try {
      const result = await this.coordinator.write(data);
      stopTimer();
      if (isStale(result))
        throw new KailashError('CONFLICT', `sequence ${result.seq} was already answered and forgotten`, {
          reason: 'STALE_SEQUENCE',
        });
      this.metrics.proposalsCommitted.inc();
      return result;
    } catch (error) {
      this.metrics.proposalsRefused.inc();
      throw error;
    }
  }
}

function isStale(result: unknown): result is { error: 'STALE_SEQUENCE'; seq: number } {
  return (result as { error?: unknown } | null)?.error === 'STALE_SEQUENCE';
}
