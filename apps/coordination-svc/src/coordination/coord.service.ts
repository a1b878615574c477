import { Inject, Injectable } from '@nestjs/common';
import type { RequestData, RequestDefinition } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { Applied, Command, CoordError, KeyRange, SessionStamp } from '@kailash/coordination';
import {
  electionLeader,
  get,
  getLeader,
  inRange,
  leaseInfo,
  lockOwner,
  range,
  watchHistory,
} from '@kailash/coordination';
import type {
  CoordElectionLeader,
  CoordGet,
  CoordLeaseInfo,
  CoordLockOwner,
  CoordRange,
  CoordWatch,
} from '@kailash/coordination-client';
import type { z } from 'zod';
import { Coordinator } from '../raft/coordinator';
import { CoordinationMachine } from '../state/coordination-machine';
import { CoordMetrics } from './coord.metrics';
import { STATE_MACHINE } from './tokens';

type Answer = { ok: true } | { ok: false; error: CoordError };

/** The operations behind REST and NATS alike: commands through the log, reads after ReadIndex. */
@Injectable()
export class CoordService {
  constructor(
    private readonly coordinator: Coordinator,
    @Inject(STATE_MACHINE) private readonly machine: CoordinationMachine,
    private readonly metrics: CoordMetrics,
  ) {}

  /** Proposes `definition`'s command; a refusal by the state machine is thrown as its error. */
  async propose<D extends RequestDefinition>(
    definition: D,
    data: RequestData<D>,
  ): Promise<z.output<D['result']>> {
    const { session, ...fields } = data as { session?: SessionStamp } & Record<string, unknown>;
    const command = { op: definition.name, ...fields } as Command;
    const stopTimer = this.metrics.commitLatency.startTimer();
    let answer: Answer;
    try {
      answer = (await this.coordinator.write(command, session)) as Answer;
    } catch (error) {
      this.metrics.proposalsRefused.inc();
      throw error;
    }
    stopTimer();
    this.metrics.proposalsCommitted.inc();
    if (!answer.ok) throw refusalError(answer.error);
    return answer as z.output<D['result']>;
  }

  get({ key, consistency }: RequestData<typeof CoordGet>) {
    return this.coordinator.read(
      () => ({ kv: get(this.state, key) ?? null, revision: this.state.revision }),
      consistency,
    );
  }

  range({ consistency, ...request }: RequestData<typeof CoordRange>) {
    return this.coordinator.read(
      () => ({ ...range(this.state, request), revision: this.state.revision }),
      consistency,
    );
  }

  leaseInfo({ id, consistency }: RequestData<typeof CoordLeaseInfo>) {
    return this.coordinator.read(
      () => ({ lease: leaseInfo(this.state, id, this.state.now) ?? null }),
      consistency,
    );
  }

  lockOwner({ name, consistency }: RequestData<typeof CoordLockOwner>) {
    return this.coordinator.read(() => ({ owner: lockOwner(this.state, name) ?? null }), consistency);
  }

  electionLeader({ name, consistency }: RequestData<typeof CoordElectionLeader>) {
    return this.coordinator.read(() => {
      const { term, stable } = getLeader(this.state, name, this.state.now);
      return { leader: electionLeader(this.state, name) ?? null, term, stable };
    }, consistency);
  }

  /** Changes from `fromRevision` on; waits up to `waitMs` for the first one if there is none yet. */
  async watch({ range: keys, fromRevision, waitMs }: RequestData<typeof CoordWatch>) {
    const first = this.history(keys, fromRevision);
    if (first.compacted || first.events.length > 0 || waitMs === 0) return first;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, waitMs);
      const stop = this.machine.onApplied((applied: Applied) => {
        if (applied.events.some((event) => inRange(keys, event.kv.key))) done();
      });
      function done() {
        clearTimeout(timer);
        stop();
        resolve();
      }
    });
    return this.history(keys, fromRevision);
  }

  private get state() {
    return this.machine.state;
  }

  private history(keys: KeyRange, fromRevision: number) {
    const read = watchHistory(this.state, fromRevision, keys);
    return read.ok
      ? { compacted: false, events: read.events, revision: read.revision }
      : { compacted: true, compactRevision: read.compactRevision, events: [], revision: read.revision };
  }
}

/**
 * A state machine refusal as the error a client gets: its code and reason, and for a validation
 * refusal the field it is about (as every VALIDATION_FAILED of the platform names one).
 */
function refusalError({ code, reason, message, details }: CoordError): KailashError {
  if (code !== 'VALIDATION_FAILED' || Array.isArray(details['issues']))
    return new KailashError(code, message, { reason, ...details });
  const field = 'key' in details ? 'key' : reason === 'future-revision' ? 'revision' : reason;
  return new KailashError(code, message, { reason, ...details, issues: [{ field, message }] });
}
