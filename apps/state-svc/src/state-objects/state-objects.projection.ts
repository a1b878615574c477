import type { PositionedEvent, Projection, SqlExecutor } from '@kailash/backbone';
import type { StateObjectEvent } from '@kailash/contracts';
import { STATE_OBJECT_EVENTS, stateEventCatalog } from '@kailash/contracts';
import { evolve, initialState } from './state-object';
import type { StateObjectState } from './state-object';
import type { Snapshot } from './state-objects.read-model';
import { findSnapshots, saveSnapshots } from './state-objects.read-model';

export const STATE_OBJECTS_PROJECTION = 'state-objects';

/** The `state_objects` table: each event folded with the same `evolve` the write side uses. */
export const stateObjectsProjection: Projection<StateObjectEvent> = {
  name: STATE_OBJECTS_PROJECTION,
  catalog: stateEventCatalog,
  // The write side starts from these rows (snapshots): never skip an event it would then miss.
  stallInsteadOfDeadLetter: true,
  handles: STATE_OBJECT_EVENTS.map((definition) => definition.type),
  apply: (event, tx, position) => applyInOrder([{ event, position }], tx),
  applyBatch: applyInOrder,
};

/**
 * One read and one write per batch, not per event: a hot object's hundred increments in a batch
 * become one row read, a fold in memory and one upsert. Each object's row ends as applying the
 * events one by one would leave it: its last present state, with that event's sequence and stamp.
 */
async function applyInOrder(
  events: readonly PositionedEvent<StateObjectEvent>[],
  tx: SqlExecutor,
): Promise<void> {
  const states: Map<string, StateObjectState> = await findSnapshots(tx, [
    ...new Set(events.map(({ event }) => event.aggregate.id)),
  ]);
  const latest = new Map<string, Snapshot>();
  for (const { event, position } of events) {
    const state = evolve(states.get(event.aggregate.id) ?? initialState(), event);
    states.set(event.aggregate.id, state);
    if (state.status === 'present')
      latest.set(event.aggregate.id, { state, seq: position.seq, hlc: event.hlc });
  }
  await saveSnapshots(tx, [...latest.values()]);
}
