import type { AggregateDefinition, EventPublisher } from '@kailash/backbone';
import { AggregateStore } from '@kailash/backbone';
import type { EventCatalog, EventEnvelope, SubjectSpace } from '@kailash/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';

/**
 * Gives a service an AggregateStore for each aggregate type it writes, on its own domain's stream,
 * catalog and publisher, so a slice declares its decider and nothing of the plumbing.
 */
export class AggregateStores {
  constructor(
    private readonly deps: {
      readonly jsm: JetStreamManager;
      readonly subjects: SubjectSpace;
      readonly domain: string;
      readonly catalog: EventCatalog;
      readonly publisher: EventPublisher;
      readonly cacheSize?: number;
    },
  ) {}

  create<State, Command, E extends EventEnvelope>(
    definition: AggregateDefinition<State, Command, E>,
  ): AggregateStore<State, Command, E> {
    return new AggregateStore(this.deps, definition);
  }
}
