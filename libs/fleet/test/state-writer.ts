import { domainStreamSpec, ensureStream, EventPublisher } from '@kailash/backbone';
import type { DataOf, EdgeSnapshot, EventDefinition } from '@kailash/contracts';
import { stateEventCatalog, STATE_DOMAIN, SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';

/**
 * Writes the STATE stream the way state-svc does: it owns the stream (creates it with its spec, here
 * with a description of its own a consumer must leave alone) and appends each edge's events in order.
 */
export async function startStateWriter(nc: NatsConnection, jsm: JetStreamManager, namespace: string) {
  const subjects = new SubjectSpace(namespace);
  await ensureStream(jsm, {
    ...domainStreamSpec(subjects, STATE_DOMAIN),
    description: 'written by state-svc',
  });
  const publisher = new EventPublisher({
    js: jetstream(nc),
    subjects,
    clock: new HybridLogicalClock({ nodeId: 'state-svc-test' }),
    domain: STATE_DOMAIN,
    catalog: stateEventCatalog,
    source: { service: 'state-svc', instance: 'test-1' },
  });
  const last = new Map<string, number>();
  return {
    stream: subjects.stream(STATE_DOMAIN),
    /** Appends one event of an edge, expecting the edge's previous one (as a command does); its stream sequence. */
    async publish<D extends EventDefinition>(
      definition: D,
      data: DataOf<D> & { edgeId: string },
    ): Promise<number> {
      const { edgeId } = data;
      const published = await publisher.publish(
        { definition, data, aggregateId: edgeId },
        { expectedLastSubjectSequence: last.get(edgeId) ?? 0 },
      );
      last.set(edgeId, published.seq);
      return published.seq;
    },
  };
}

export const edgeOf = (partial: Partial<EdgeSnapshot> & Pick<EdgeSnapshot, 'edgeId'>): EdgeSnapshot => ({
  name: partial.edgeId,
  region: 'eu-west',
  location: { lat: 48.85, lon: 2.35 },
  capacity: { cpu: 16 },
  zones: ['gdpr'],
  tags: {},
  endpoint: null,
  lifecycle: 'initialized',
  registeredAt: '2026-11-26T10:00:00.000Z',
  updatedAt: '2026-11-26T10:00:00.000Z',
  ...partial,
});
