import { EventPublisher } from '@kailash/backbone';
import type { SubjectSpace } from '@kailash/contracts';
import { STATE_DOMAIN, stateEventCatalog } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstream } from '@nats-io/jetstream';

/** Writes state-domain events as state-svc does (same publisher, envelope and catalog), for the agent to read. */
export function stateEventPublisher(nc: NatsConnection, subjects: SubjectSpace): EventPublisher {
  return new EventPublisher({
    js: jetstream(nc),
    subjects,
    domain: STATE_DOMAIN,
    clock: new HybridLogicalClock({ nodeId: 'state-test' }),
    source: { service: 'state-svc', instance: 'test' },
    catalog: stateEventCatalog,
  });
}
