import type { SqlDatabase } from '@kailash/backbone';
import type { EdgeFact } from '../placement/edge-facts';
import type { StoredEdgeFacts } from './allocated';
import { edgeFactOf } from './allocated';

/** Where facts go and where capacities come from: placement's fleet view. */
export interface FactSink {
  reportFact(fact: EdgeFact): void;
  capacityOf(edgeId: string): Promise<Readonly<Record<string, number>> | undefined>;
}

interface FactRow {
  edge_id: string;
  health: string | null;
  utilisation: Record<string, number> | null;
  version: string;
}

/**
 * Brings every instance's placement view up to `edge_facts` (written by whichever instance runs the
 * MONITOR consumer): rows changed since the last look are reported as EdgeFacts. A utilisation of an
 * edge the view does not hold yet (no capacity to scale it by) is tried again at the next look.
 */
export class EdgeFactsFeed {
  private position = 0;
  private readonly waiting = new Map<string, StoredEdgeFacts>();

  constructor(
    private readonly db: SqlDatabase,
    private readonly sink: FactSink,
  ) {}

  /** One look; resolves to the number of facts reported. */
  async catchUp(): Promise<number> {
    const rows = await this.db.query<FactRow>(
      'SELECT edge_id, health, utilisation, version FROM edge_facts WHERE version > $1 ORDER BY version',
      [this.position],
    );
    let reported = 0;
    for (const row of rows) {
      const stored = {
        edgeId: row.edge_id,
        health: row.health,
        utilisation: row.utilisation,
        version: Number(row.version),
      };
      this.waiting.delete(stored.edgeId);
      reported += await this.report(stored);
      this.position = Math.max(this.position, stored.version);
    }
    for (const stored of [...this.waiting.values()]) {
      if (await this.sink.capacityOf(stored.edgeId)) {
        this.waiting.delete(stored.edgeId);
        reported += await this.report(stored);
      }
    }
    return reported;
  }

  private async report(stored: StoredEdgeFacts): Promise<number> {
    const capacity = await this.sink.capacityOf(stored.edgeId);
    if (stored.utilisation && !capacity) this.waiting.set(stored.edgeId, stored);
    const fact = edgeFactOf(stored, capacity);
    if (fact.healthy === undefined && fact.allocated === undefined) return 0;
    this.sink.reportFact(fact);
    return 1;
  }
}
