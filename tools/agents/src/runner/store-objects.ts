import type { RequestClient } from '@kailash/backbone';
import { GetStateObject, KailashError, SetStateValue } from '@kailash/contracts';
import type { FleetFile } from '../fleet/fleet-file';

/**
 * Each key/value store of the fleet is a state object in state-svc of the same id: its owner is the
 * edge that serves the store, chosen by state-svc among the active edges and moved by it when that
 * edge drains. Created here on first use, so clients can find the owner before any key exists.
 */
export async function ensureStoreObjects(
  state: RequestClient,
  fleet: FleetFile,
): Promise<Map<string, string | null>> {
  const owners = new Map<string, string | null>();
  for (const store of fleet.workloads.kv) {
    try {
      owners.set(store.name, (await state.send(GetStateObject, { objectId: store.name })).owner);
    } catch (error) {
      if (!(error instanceof KailashError) || error.code !== 'NOT_FOUND') throw error;
      const created = await state.send(SetStateValue, {
        objectId: store.name,
        key: 'kind',
        value: 'kv-store',
      });
      owners.set(store.name, created.owner);
    }
  }
  return owners;
}
