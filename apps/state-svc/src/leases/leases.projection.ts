import type { Projection } from '@kailash/backbone';
import type { LeaseEvent } from '@kailash/contracts';
import { LEASE_EVENTS, stateEventCatalog } from '@kailash/contracts';
import { evolve, initialState } from './lease';
import { saveLease } from './leases.read-model';

/**
 * The `leases` table, folded with the write side's `evolve`. Lease events carry the whole lease,
 * so no current row needs reading first.
 */
export const leasesProjection: Projection<LeaseEvent> = {
  name: 'leases',
  catalog: stateEventCatalog,
  handles: LEASE_EVENTS.map((definition) => definition.type),
  apply: async (event, tx, position) => {
    await saveLease(tx, evolve(initialState(), event), position.seq, event.hlc);
  },
};
