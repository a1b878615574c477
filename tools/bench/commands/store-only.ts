import { AggregateStore, EventPublisher } from '@kailash/backbone';
import type { EventEnvelope, SubjectSpace } from '@kailash/contracts';
import { defineEvent, EventCatalog } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { z } from 'zod';
import type { Figures } from './workload';
import { hotObject } from './workload';

const Counted = defineEvent('counter.counted', {
  aggregateType: 'counter',
  data: z.strictObject({ by: z.number() }),
});
const catalog = new EventCatalog([Counted]);

/**
 * The aggregate store alone, in this process, without HTTP, NATS request/reply or projections: what
 * one hot aggregate costs the library (a cached decide and one expected-sequence publish per command).
 */
export async function storeOnlyHotObject(
  deps: { js: JetStreamClient; jsm: JetStreamManager; subjects: SubjectSpace; domain: string },
  clients: number,
  seconds: number,
): Promise<Figures & { value: number }> {
  const publisher = new EventPublisher({
    js: deps.js,
    subjects: deps.subjects,
    domain: deps.domain,
    clock: new HybridLogicalClock({ nodeId: 'bench' }),
    source: { service: 'bench', instance: 'bench' },
    catalog,
  });
  const store = new AggregateStore<number, number, EventEnvelope<'counter.counted', { by: number }>>(
    { jsm: deps.jsm, subjects: deps.subjects, domain: deps.domain, catalog, publisher },
    {
      type: 'counter',
      initialState: () => 0,
      evolve: (total, event) => total + event.data.by,
      decide: (by) => [{ definition: Counted, aggregateId: 'hot', data: { by } }],
    },
  );
  const figures = await hotObject(async () => (await store.handle('hot', 1), true), 'hot', clients, seconds);
  return { ...figures, value: (await store.load('hot')).state };
}
