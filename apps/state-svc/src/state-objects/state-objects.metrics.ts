import { Inject, Injectable } from '@nestjs/common';
import { METRICS_REGISTRY } from '@kailash/service-kit';
import type { Registry } from 'prom-client';
import { Counter } from 'prom-client';

/** Operations by type and outcome, lock contention and ownership moves. */
@Injectable()
export class StateObjectsMetrics {
  readonly operations: Counter<'operation' | 'outcome'>;
  readonly lockContention: Counter;
  readonly ownerMoves: Counter<'reason'>;

  constructor(@Inject(METRICS_REGISTRY) registry: Registry) {
    this.operations = new Counter({
      registers: [registry],
      name: 'kailash_state_object_operations_total',
      help: 'State object operations by type and outcome (ok or the error code)',
      labelNames: ['operation', 'outcome'],
    });
    this.lockContention = new Counter({
      registers: [registry],
      name: 'kailash_state_object_lock_contention_total',
      help: 'Lock requests refused because another holder had the lock',
      labelNames: [],
    });
    this.ownerMoves = new Counter({
      registers: [registry],
      name: 'kailash_state_object_owner_moves_total',
      help: 'State objects moved to another owner edge',
      labelNames: ['reason'],
    });
  }
}
