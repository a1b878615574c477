import type { Target } from '@kailash/edge-client';
import type { FleetClient, FleetFile } from '../fleet/fleet-file';
import type { Arrival } from '../trace/replay';
import type { TraceKind } from '../trace/trace';
import type { Operation } from './load-stats';

/** Shares of the operations a web trace's requests turn into (a functions trace only invokes). */
export interface OperationMix {
  readonly invoke: number;
  readonly get: number;
  readonly put: number;
}

export const DEFAULT_MIX: OperationMix = { invoke: 0.5, get: 0.4, put: 0.1 };

export interface PlannedRequest {
  readonly operation: Operation;
  readonly target: Target;
  readonly data: Readonly<Record<string, unknown>>;
}

/** `invoke=0.5,get=0.4,put=0.1` → the mix, normalised to sum to 1. */
export function parseMix(text: string): OperationMix {
  const shares = { invoke: 0, get: 0, put: 0 };
  for (const part of text.split(',')) {
    const [name, value] = part.split('=');
    const share = Number(value);
    if (!isOperationName(name) || !Number.isFinite(share) || share < 0)
      throw new Error(`--mix: "${part}" is not invoke=<share>, get=<share> or put=<share>`);
    shares[name] = share;
  }
  const total = shares.invoke + shares.get + shares.put;
  if (total <= 0) throw new Error('--mix: the shares sum to 0');
  return { invoke: shares.invoke / total, get: shares.get / total, put: shares.put / total };
}

const isOperationName = (name: string | undefined): name is keyof OperationMix =>
  name === 'invoke' || name === 'get' || name === 'put';

/**
 * Turns trace arrivals into the requests clients would send: each comes from a client population
 * chosen by weight; a functions trace invokes the function its series is mapped to (the busiest
 * series onto the first function, and so on round the list), a web trace splits its requests by
 * the mix between invocations and key/value gets and puts on uniformly chosen keys.
 */
export class RequestPlanner {
  private readonly cumulativeWeights: number[];
  private readonly totalWeight: number;

  constructor(
    private readonly fleet: FleetFile,
    private readonly traceKind: TraceKind,
    private readonly mix: OperationMix,
    private readonly random: () => number,
  ) {
    let sum = 0;
    this.cumulativeWeights = fleet.clients.map((client) => (sum += client.weight));
    this.totalWeight = sum;
  }

  plan(arrival: Arrival): PlannedRequest | null {
    const client = this.client();
    const functions = this.fleet.workloads.functions;
    if (this.traceKind !== 'nasa-http') {
      const fn = functions[arrival.series % Math.max(functions.length, 1)];
      return fn ? this.invoke(fn.name, client) : null;
    }
    const draw = this.random();
    const stores = this.fleet.workloads.kv;
    const fn = functions[Math.floor(this.random() * functions.length)];
    if ((draw < this.mix.invoke || stores.length === 0) && fn) return this.invoke(fn.name, client);
    const store = stores[Math.floor(this.random() * stores.length)];
    if (!store) return null;
    const key = `k-${Math.floor(this.random() * store.keys)}`;
    const target: Target = { kind: 'key', store: store.name, key };
    return draw < this.mix.invoke + this.mix.get
      ? { operation: 'kv.get', target, data: { store: store.name, key } }
      : {
          operation: 'kv.put',
          target,
          data: { store: store.name, key, value: { from: client.name, at: arrival.atMs } },
        };
  }

  private invoke(workload: string, client: FleetClient): PlannedRequest {
    return {
      operation: 'workload.invoke',
      target: { kind: 'function', workload, client: client.location, country: client.country },
      data: { workloadId: workload, payload: { from: client.name } },
    };
  }

  private client(): FleetClient {
    const point = this.random() * this.totalWeight;
    const index = this.cumulativeWeights.findIndex((weight) => point < weight);
    const clients = this.fleet.clients;
    // The schema requires one client at least, so the last one is always there.
    return clients[index] ?? (clients[clients.length - 1] as FleetClient);
  }
}
