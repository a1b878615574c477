import type { GeoPoint } from '@kailash/contracts';

/** What a client wants to reach: a key of a stateful workload, or a function for a client somewhere. */
export type Target =
  | { readonly kind: 'key'; readonly store: string; readonly key: string }
  | {
      readonly kind: 'function';
      readonly workload: string;
      readonly client: GeoPoint;
      /** ISO 3166-1 alpha-2 country of the data subject: residency rules (GDPR) filter the edges. */
      readonly country?: string;
    };

/**
 * Where a target lives, as the control plane knows it, best first. A stateful workload has one
 * owner edge (state-svc's ownership of the store's state object); a function may run on any edge
 * that hosts it, ranked by placement for the client. Empty: no edge can serve it now.
 */
export interface Locator {
  locate(target: Target): Promise<readonly string[]>;
}

/** One request to one agent; throws what the agent answered as an error (KailashError). */
export interface AgentTransport {
  request(edgeId: string, operation: string, data: unknown): Promise<unknown>;
}

/** The route a target resolves to is cached per store, or per workload and client cell. */
export function routeKey(target: Target): string {
  if (target.kind === 'key') return `key:${target.store}`;
  // About 11 km cells: clients that close share a placement answer.
  const cell = `${target.client.lat.toFixed(1)},${target.client.lon.toFixed(1)}`;
  return `fn:${target.workload}:${cell}:${target.country ?? ''}`;
}
