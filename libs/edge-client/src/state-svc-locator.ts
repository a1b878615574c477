import type { RequestClient } from '@kailash/backbone';
import type { DataClassification, PlacementStrategy } from '@kailash/contracts';
import { GetStateObject, KailashError, PlaceWorkload } from '@kailash/contracts';
import type { Locator, Target } from './routing';

export interface StateSvcLocatorOptions {
  /** How placement ranks the edges for a function call. */
  readonly strategy?: PlacementStrategy;
  /** How many ranked edges a function call may fall back to. */
  readonly candidates?: number;
  /** What the function's data is, so residency rules apply (pii + an EU country → gdpr edges only). */
  readonly classifications?: readonly DataClassification[];
}

/**
 * Finds targets through state-svc over NATS: a store's owner is the owner of the state object of
 * the same id (state-svc moves it when that edge drains or leaves), and a function goes to the
 * edges placement ranks for the client's location and country.
 */
export class StateSvcLocator implements Locator {
  constructor(
    private readonly state: RequestClient,
    private readonly options: StateSvcLocatorOptions = {},
  ) {}

  async locate(target: Target): Promise<readonly string[]> {
    return target.kind === 'key' ? this.ownerOf(target.store) : this.placed(target);
  }

  private async ownerOf(store: string): Promise<readonly string[]> {
    try {
      const object = await this.state.send(GetStateObject, { objectId: store });
      return object.owner === null ? [] : [object.owner];
    } catch (error) {
      if (error instanceof KailashError && error.code === 'NOT_FOUND') return [];
      throw error;
    }
  }

  private async placed(target: Extract<Target, { kind: 'function' }>): Promise<readonly string[]> {
    const result = await this.state.send(PlaceWorkload, {
      client: target.client,
      compliance: {
        classifications: [...(this.options.classifications ?? ['pii'])],
        requiredZones: [],
        ...(target.country ? { subjectCountry: target.country } : {}),
      },
      strategy: this.options.strategy ?? 'latency_optimal',
      maxResults: this.options.candidates ?? 3,
    });
    return result.candidates.map((candidate) => candidate.edgeId);
  }
}
