import type { Fact } from '@kailash/coordination';

/** One row of the replica's history, as the projector queues it before writing. */
export type HistoryRow =
  | { readonly kind: 'leader'; readonly index: number; readonly term: number; readonly leader: number | null }
  | {
      readonly kind: 'membership';
      readonly index: number;
      readonly change: string;
      readonly nodeId: number;
      readonly voters: readonly number[];
      readonly learners: readonly number[];
    }
  | {
      readonly kind: 'fact';
      readonly index: number;
      readonly position: number;
      readonly type: string;
      readonly at: number;
      readonly leaseId: number | null;
      readonly name: string | null;
      readonly fact: Record<string, unknown>;
    }
  | { readonly kind: 'gap'; readonly index: number; readonly toIndex: number; readonly reason: string };

/** The lease and the name a fact is about, so the history can be filtered by them. */
function subjectOf(fact: Fact): { leaseId: number | null; name: string | null } {
  switch (fact.type) {
    case 'lease.granted':
    case 'lease.revoked':
    case 'lease.expired':
      return { leaseId: fact.lease.id, name: null };
    case 'lock.acquired':
    case 'lock.released':
      return { leaseId: fact.owner.lease, name: fact.owner.name };
    case 'election.leader':
      return { leaseId: fact.leader.lease, name: fact.leader.name };
    case 'election.vacant':
      return { leaseId: null, name: fact.name };
    case 'session.opened':
    case 'session.closed':
      return { leaseId: fact.clientId, name: null };
  }
}

/** The rows of one applied entry's facts; `at` is the entry's leader time, equal on every replica. */
export function factRows(index: number, facts: readonly Fact[], at: number): HistoryRow[] {
  return facts.map((fact, position) => {
    const { type, ...rest } = fact;
    return { kind: 'fact', index, position, type, at, ...subjectOf(fact), fact: rest };
  });
}
