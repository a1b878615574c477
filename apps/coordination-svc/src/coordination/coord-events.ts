import type { EventDraft } from '@kailash/backbone';
import { EventPublisher } from '@kailash/backbone';
import { COORD_FACT_EVENTS, CoordLeaderElected, CoordMembershipChanged } from '@kailash/contracts';
import type { Applied } from '@kailash/coordination';
import type { AppliedConfChange, Entry, SoftState } from '@kailash/raft';
import { Injectable, Logger } from '@nestjs/common';
import { NO_OBSERVER, type ReplicaObserver } from '../raft/replica-observer';

/** JetStream drops a repeated message id for 2 minutes; facts are republished only well inside that. */
const REPUBLISH_WINDOW_MS = 60_000;

interface Fact {
  readonly draft: EventDraft;
  readonly appliedAt: number;
  published: boolean;
}

/**
 * COORD events from applied entries. Every replica records each fact when it applies the entry that
 * makes it true; only the leader publishes, with the event id `coord-<raft index>`. A new leader
 * republishes the recent facts: those its predecessor already published are dropped by JetStream as
 * duplicates of the same id, those it had not are stored now, so a leader change neither drops nor
 * doubles one.
 */
@Injectable()
export class CoordEvents implements ReplicaObserver {
  private readonly logger = new Logger(CoordEvents.name);
  /** Keyed by Raft index × 1000 + position within the entry, so facts publish in log order. */
  private readonly facts = new Map<number, Fact>();
  private leading = false;

  constructor(private readonly publisher: EventPublisher) {}

  timedSave = NO_OBSERVER.timedSave;
  applied = NO_OBSERVER.applied;
  proposalsDropped = NO_OBSERVER.proposalsDropped;
  snapshotTaken = NO_OBSERVER.snapshotTaken;
  snapshotRestored = NO_OBSERVER.snapshotRestored;
  refusedBatch = NO_OBSERVER.refusedBatch;

  softState(soft: SoftState): void {
    const wasLeading = this.leading;
    this.leading = soft.role === 'leader';
    if (this.leading && !wasLeading) for (const index of this.facts.keys()) void this.publish(index);
  }

  leaderElected(entry: Entry): void {
    // Replaying old entries after a restart, before any leader is heard from: the fact was recorded then.
    if (this.leaderOf() === 0) return;
    this.record(entry.index, {
      definition: CoordLeaderElected,
      aggregateId: 'raft',
      id: `coord-${entry.index}`,
      // The entry's term is the election's; the leader is whoever proposed it, known to every replica
      // through the soft state by the time the entry is applied.
      data: { leader: this.leaderOf(), term: entry.term, index: entry.index },
    });
  }

  membershipChanged(entry: Entry, { change, confState }: AppliedConfChange): void {
    this.record(entry.index, {
      definition: CoordMembershipChanged,
      aggregateId: 'raft',
      id: `coord-${entry.index}`,
      data: {
        change: change.type,
        nodeId: change.nodeId,
        voters: [...confState.voters],
        learners: [...confState.learners],
        index: entry.index,
      },
    });
  }

  /** Lease, lock, election and session facts of an applied entry, one event each. */
  factsApplied(applied: Applied): void {
    applied.facts.forEach((fact, position) => {
      const { type, ...rest } = fact;
      this.record(applied.index * 1000 + position, {
        definition: COORD_FACT_EVENTS[type],
        aggregateId: 'raft',
        id: `coord-${applied.index}-${position}`,
        data: { index: applied.index, position, fact: rest },
      });
    });
  }

  /** Set by the replica host; the current leader's id. */
  leaderOf: () => number = () => 0;

  private record(index: number, draft: EventDraft): void {
    this.prune();
    this.facts.set(index, { draft, appliedAt: Date.now(), published: false });
    if (this.leading) void this.publish(index);
  }

  private async publish(index: number): Promise<void> {
    const fact = this.facts.get(index);
    if (!fact) return;
    try {
      await this.publisher.publish(fact.draft);
      fact.published = true;
    } catch (error) {
      this.logger.warn(`COORD event coord-${index} not published yet: ${(error as Error).message}`);
      if (this.leading) setTimeout(() => void this.publish(index), 1000).unref();
    }
  }

  private prune(): void {
    const cutoff = Date.now() - REPUBLISH_WINDOW_MS;
    for (const [index, fact] of this.facts) if (fact.appliedAt < cutoff) this.facts.delete(index);
  }
}
