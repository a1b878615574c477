import { Injectable } from '@nestjs/common';
import { ReadinessProbes } from '@kailash/service-kit';
import { ReplicaHost } from './replica-host';

/** Ready only when the replica knows a leader and has applied what was committed before it started. */
@Injectable()
export class RaftReadiness {
  constructor(probes: ReadinessProbes, host: ReplicaHost) {
    probes.register('raft', () => {
      if (host.replica.isReady()) return { up: true };
      const message =
        host.replica.leader() === 0
          ? 'no leader known'
          : 'still applying entries committed before it started';
      return { up: false, message };
    });
  }
}
