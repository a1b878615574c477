import type { Projection } from '@kailash/backbone';
import type { StateObjectEvent } from '@kailash/contracts';
import { STATE_OBJECT_EVENTS, stateEventCatalog } from '@kailash/contracts';
import { evolve, initialState } from './state-object';
import { findSnapshot, saveSnapshot } from './state-objects.read-model';

export const STATE_OBJECTS_PROJECTION = 'state-objects';

/** The `state_objects` table: each event folded with the same `evolve` the write side uses. */
export const stateObjectsProjection: Projection<StateObjectEvent> = {
  name: STATE_OBJECTS_PROJECTION,
  catalog: stateEventCatalog,
  // The write side starts from these rows (snapshots): never skip an event it would then miss.
  stallInsteadOfDeadLetter: true,
  handles: STATE_OBJECT_EVENTS.map((definition) => definition.type),
  apply: async (event, tx, position) => {
    const current = (await findSnapshot(tx, event.aggregate.id))?.state ?? initialState();
    await saveSnapshot(tx, evolve(current, event), position.seq, event.hlc);
  },
};
