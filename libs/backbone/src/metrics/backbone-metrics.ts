import type { Registry } from 'prom-client';
import { Counter, Gauge, Histogram, register as defaultRegistry } from 'prom-client';

/** The backbone's Prometheus metrics, created once per registry and shared by every publisher/runner. */
export class BackboneMetrics {
  readonly published: Counter<'stream' | 'type'>;
  readonly duplicates: Counter<'stream'>;
  readonly conflicts: Counter<'stream'>;
  readonly consumed: Counter<'consumer'>;
  readonly skipped: Counter<'consumer'>;
  readonly failed: Counter<'consumer'>;
  readonly deadLettered: Counter<'consumer' | 'reason'>;
  readonly handlerSeconds: Histogram<'consumer'>;
  readonly batchSize: Histogram<'consumer'>;
  readonly lag: Gauge<'consumer'>;
  readonly clockSkewRejections: Counter<'consumer'>;
  readonly stalled: Gauge<'projection'>;

  private static readonly perRegistry = new WeakMap<Registry, BackboneMetrics>();

  static for(registry: Registry = defaultRegistry): BackboneMetrics {
    let metrics = BackboneMetrics.perRegistry.get(registry);
    if (!metrics) {
      metrics = new BackboneMetrics(registry);
      BackboneMetrics.perRegistry.set(registry, metrics);
    }
    return metrics;
  }

  private constructor(registry: Registry) {
    const registers = [registry];
    this.published = new Counter({
      name: 'kailash_events_published_total',
      help: 'Events stored by JetStream',
      labelNames: ['stream', 'type'],
      registers,
    });
    this.duplicates = new Counter({
      name: 'kailash_events_duplicate_publishes_total',
      help: 'Publishes JetStream dropped as duplicates (same Nats-Msg-Id)',
      labelNames: ['stream'],
      registers,
    });
    this.conflicts = new Counter({
      name: 'kailash_events_concurrency_conflicts_total',
      help: 'Publishes refused by the expected-last-subject-sequence check',
      labelNames: ['stream'],
      registers,
    });
    this.consumed = new Counter({
      name: 'kailash_events_consumed_total',
      help: 'Events applied by a projection and acknowledged',
      labelNames: ['consumer'],
      registers,
    });
    this.skipped = new Counter({
      name: 'kailash_events_skipped_total',
      help: 'Redelivered events at or below the checkpoint, acknowledged without applying',
      labelNames: ['consumer'],
      registers,
    });
    this.failed = new Counter({
      name: 'kailash_events_failed_total',
      help: 'Handler attempts that threw',
      labelNames: ['consumer'],
      registers,
    });
    this.deadLettered = new Counter({
      name: 'kailash_events_dead_lettered_total',
      help: 'Events moved to the dead-letter stream',
      labelNames: ['consumer', 'reason'],
      registers,
    });
    this.handlerSeconds = new Histogram({
      name: 'kailash_event_handler_seconds',
      help: 'Time to apply one batch and commit its checkpoint',
      labelNames: ['consumer'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers,
    });
    this.batchSize = new Histogram({
      name: 'kailash_event_batch_size',
      help: 'Events per applied batch',
      labelNames: ['consumer'],
      buckets: [1, 2, 5, 10, 25, 50, 100, 250, 500, 1000],
      registers,
    });
    this.lag = new Gauge({
      name: 'kailash_consumer_lag',
      help: 'Messages in the stream not yet delivered to the consumer',
      labelNames: ['consumer'],
      registers,
    });
    this.clockSkewRejections = new Counter({
      name: 'kailash_hlc_skew_rejections_total',
      help: 'Consumed HLC stamps refused by the max-offset guard',
      labelNames: ['consumer'],
      registers,
    });
    this.stalled = new Gauge({
      name: 'kailash_projection_stalled',
      help: '1 while a projection has not got past one stream sequence for its stall threshold',
      labelNames: ['projection'],
      registers,
    });
  }
}
