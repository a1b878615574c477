import { randomInt } from 'node:crypto';
import type { EventCatalog, EventEnvelope, SubjectSpace } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { JetStreamManager } from '@nats-io/jetstream';
import { RequestContext } from '../context/request-context';
import { ConcurrencyConflictError } from '../errors';
import type { EventDraft, EventPublisher } from '../publishing/event-publisher';
import type { AggregateDefinition, CommandResult, LoadedAggregate } from './decider';
import { KeyedQueue } from './keyed-queue';
import { LruCache } from './lru-cache';
import { hlcOf, SubjectReader } from './subject-reader';

export interface AggregateStoreDeps {
  readonly jsm: JetStreamManager;
  readonly subjects: SubjectSpace;
  /** The domain whose stream holds the aggregate's events (the one `publisher` writes). */
  readonly domain: string;
  readonly catalog: EventCatalog;
  readonly publisher: EventPublisher;
  /** Most aggregates kept in memory; each hit saves a replay. 0 disables the cache. */
  readonly cacheSize?: number;
  /** Upper bound of the jittered pause before a retry after a conflict, in ms (tests keep it short). */
  readonly maxBackoffMs?: number;
}

export const DEFAULT_AGGREGATE_CACHE_SIZE = 1_000;
const DEFAULT_MAX_ATTEMPTS = 8;
const DEFAULT_MAX_BACKOFF_MS = 200;

/**
 * Load → decide → append with the expected last sequence, for one aggregate type.
 *
 * - Reads create no JetStream consumers: the last sequence comes from a `last_by_subj` message get
 *   and the tail from `next_by_subj` gets (see SubjectReader).
 * - Loaded aggregates stay in a bounded LRU cache. A read validates its hit against the subject's
 *   last sequence (`last_by_subj`): equal means no replay, behind means replay only the tail.
 * - Commands on one aggregate run one at a time in this instance, so a hot aggregate never
 *   conflicts with itself. A command first decides on the cached state and appends expecting its
 *   version: the append itself validates the cache, so a hot aggregate costs one publish per
 *   command. Across instances the expected sequence still decides: a conflict drops the cache
 *   entry, reloads from the stream and decides again after a jittered pause, a bounded number of times.
 */
export class AggregateStore<State, Command, E extends EventEnvelope> {
  private readonly reader: SubjectReader;
  private readonly cache: LruCache<LoadedAggregate<State>>;
  private readonly queue = new KeyedQueue();

  constructor(
    private readonly deps: AggregateStoreDeps,
    readonly definition: AggregateDefinition<State, Command, E>,
  ) {
    this.reader = new SubjectReader(deps.jsm, deps.subjects.stream(deps.domain), deps.catalog);
    this.cache = new LruCache(deps.cacheSize ?? DEFAULT_AGGREGATE_CACHE_SIZE);
  }

  /** The aggregate as its stream holds it now (authoritative, unlike a projection). */
  async load(aggregateId: string): Promise<LoadedAggregate<State>> {
    const subject = this.subjectOf(aggregateId);
    const last = await this.reader.last(subject);
    if (!last) {
      this.cache.delete(subject);
      return { state: this.definition.initialState(), version: 0, events: 0 };
    }
    const lastHlc = hlcOf(last);
    const stamp = lastHlc ? { lastHlc } : {};
    const strategy = this.definition.load ?? { kind: 'replay' };
    if (strategy.kind === 'last-event') {
      const state = this.definition.evolve(this.definition.initialState(), this.reader.parse<E>(last));
      return { state, version: last.seq, events: 1, ...stamp };
    }
    const cached = this.cache.get(subject);
    if (cached?.version === last.seq) return { ...cached, events: 0 };
    const start =
      cached && cached.version < last.seq ? cached : await this.snapshotBefore(aggregateId, last.seq);
    const tail = await this.reader.foldTail(
      subject,
      start.state,
      start.version,
      last.seq,
      this.definition.evolve,
    );
    const loaded = { state: tail.state, version: last.seq, events: tail.events, ...stamp };
    this.remember(subject, loaded);
    return loaded;
  }

  /** Runs a command on one aggregate; queued behind any other command on it in this instance. */
  handle(aggregateId: string, command: Command): Promise<CommandResult<State>> {
    const subject = this.subjectOf(aggregateId);
    return this.queue.run(subject, () => this.decideAndAppend(aggregateId, subject, command));
  }

  private async decideAndAppend(
    aggregateId: string,
    subject: string,
    command: Command,
  ): Promise<CommandResult<State>> {
    const { definition, deps } = this;
    const attempts = definition.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    for (let attempt = 1; attempt <= attempts; attempt++) {
      // First try on what this instance last appended or loaded, without asking the stream: the
      // expected sequence of the append proves it current. Retries always read the stream.
      const { current, drafts } = await this.decision(
        aggregateId,
        command,
        attempt === 1 ? this.cached(subject) : undefined,
      );
      try {
        const published = await deps.publisher.publishAll(drafts, {
          expectedLastSubjectSequence: current.version,
        });
        const state = published.reduce((s, p) => definition.evolve(s, p.event as E), current.state);
        const version = published.at(-1)?.seq ?? current.version;
        for (const event of published) RequestContext.recordSequence(event.seq);
        const lastHlc = published.at(-1)?.event.hlc ?? current.lastHlc;
        this.remember(subject, { state, version, events: 0, ...(lastHlc ? { lastHlc } : {}) });
        return { state, decidedOn: current.state, version, published };
      } catch (error) {
        if (!(error instanceof ConcurrencyConflictError)) throw error;
        // Another instance wrote: what we cached is stale. Full jitter spreads racing writers out.
        this.cache.delete(subject);
        await pause(randomInt(0, Math.min(2 ** attempt, deps.maxBackoffMs ?? DEFAULT_MAX_BACKOFF_MS) + 1));
      }
    }
    throw new KailashError(
      'CONFLICT',
      `${definition.type} '${aggregateId}' kept changing; gave up after ${attempts} attempts`,
    );
  }

  /**
   * Decides on `unverified` (a cached state) when given, else on the stream's state. Only an append
   * proves a cached state current, so a refusal or a no-op decided on one is checked against the
   * stream first: a command is never refused because of what another instance has since changed.
   */
  private async decision(
    aggregateId: string,
    command: Command,
    unverified: LoadedAggregate<State> | undefined,
  ): Promise<{ current: LoadedAggregate<State>; drafts: readonly EventDraft[] }> {
    if (unverified) {
      const tried = this.tryDecide(command, unverified);
      if ('drafts' in tried && tried.drafts.length > 0) return { current: unverified, drafts: tried.drafts };
      const fresh = await this.load(aggregateId);
      if (fresh.version !== unverified.version)
        return { current: fresh, drafts: this.decide(command, fresh) };
      if ('error' in tried) throw tried.error;
      return { current: unverified, drafts: tried.drafts };
    }
    const current = await this.load(aggregateId);
    return { current, drafts: this.decide(command, current) };
  }

  private decide(command: Command, current: LoadedAggregate<State>): readonly EventDraft[] {
    // What we append must stamp after what we decided on, even if our clock runs behind the last writer's.
    if (current.lastHlc) this.deps.publisher.observe(current.lastHlc);
    return this.definition.decide(command, current.state).map(withRequestCorrelation);
  }

  private tryDecide(
    command: Command,
    current: LoadedAggregate<State>,
  ): { drafts: readonly EventDraft[] } | { error: unknown } {
    try {
      return { drafts: this.decide(command, current) };
    } catch (error) {
      return { error };
    }
  }

  private cached(subject: string): LoadedAggregate<State> | undefined {
    return this.definition.load?.kind === 'last-event' ? undefined : this.cache.get(subject);
  }

  private async snapshotBefore(
    aggregateId: string,
    lastSeq: number,
  ): Promise<{ state: State; version: number }> {
    const strategy = this.definition.load;
    const snapshot = strategy?.kind === 'replay' ? await strategy.snapshotOf?.(aggregateId) : undefined;
    // A snapshot from beyond the stream (e.g. a projection of a stream since recreated) is ignored.
    if (snapshot && snapshot.seq <= lastSeq) return { state: snapshot.state, version: snapshot.seq };
    return { state: this.definition.initialState(), version: 0 };
  }

  /** Concurrent loads (a read beside a command) may finish out of order: keep the newest. */
  private remember(subject: string, loaded: LoadedAggregate<State>): void {
    if (this.definition.load?.kind === 'last-event') return;
    const cached = this.cache.get(subject);
    if (!cached || cached.version <= loaded.version) this.cache.set(subject, loaded);
  }

  private subjectOf(aggregateId: string): string {
    return this.deps.subjects.event(this.deps.domain, this.definition.type, aggregateId);
  }
}

/** Events carry the request's correlation id unless the command named one. */
function withRequestCorrelation(draft: EventDraft): EventDraft {
  if (draft.correlationId) return draft;
  const correlationId = RequestContext.current()?.correlationId;
  return correlationId ? { ...draft, correlationId } : draft;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
