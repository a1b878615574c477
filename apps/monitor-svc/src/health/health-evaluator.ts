import type { OutboxPublisher, SqlDatabase, SqlExecutor } from '@kailash/backbone';
import { flushOutbox, OutboxFlushError } from '@kailash/backbone';
import type { DataOf, HealthStatus } from '@kailash/contracts';
import { EdgeUtilisationReported } from '@kailash/contracts';
import type { HealthConfig } from './health.config';
import type { HealthChangeData, StoredVerdict } from './health-store';
import { addToOutbox, healthChangeOutbox, healthEventId } from './health-outbox';
import { latestSamplesByEdge, loadVerdicts, saveVerdicts } from './health-store';
import type { LatestSample } from './health-verdict';
import { judgeEdge, NEVER_JUDGED } from './health-verdict';
import { utilisationOf } from './utilisation';

type UtilisationData = DataOf<typeof EdgeUtilisationReported>;

interface JudgedRound {
  readonly reports: UtilisationData[];
  readonly statuses: HealthStatus[];
  readonly entered: HealthStatus[];
}

export interface HealthEvaluatorDeps {
  readonly db: SqlDatabase;
  readonly publisher: OutboxPublisher;
  readonly config: HealthConfig;
  readonly nowMs: () => number;
  /** Told after each committed round: every edge's status, and the statuses entered by changes. */
  readonly observe?: (statuses: readonly HealthStatus[], entered: readonly HealthStatus[]) => void;
}

/** Replicas judge in turn, never together: the holder of this transaction lock judges this round. */
const EVALUATION_LOCK = "hashtext('monitor-svc.health-evaluation')";

/**
 * One round of health: every edge with samples is judged from its series' latest values and its
 * stored verdict, and the verdicts, the status changes (outbox) and the utilisation due are written
 * in one transaction. The changes are then published by the backbone's outbox flusher, each
 * edge's in order, with an id derived from (edge, change number): a crash or a failed publish
 * leaves them for the next round, and the flusher recognises one already stored, so each change
 * is published once.
 */
export class HealthEvaluator {
  constructor(private readonly deps: HealthEvaluatorDeps) {}

  /** Judges every edge; false when another replica judged this round. */
  async evaluateOnce(): Promise<boolean> {
    const round = await this.deps.db.transaction(async (tx) => {
      const [lock] = await tx.query<{ locked: boolean }>(
        `SELECT pg_try_advisory_xact_lock(${EVALUATION_LOCK}) AS locked`,
      );
      return lock?.locked ? this.judgeAll(tx) : undefined;
    });
    if (!round) return false;
    const { reports, statuses, entered } = round;
    this.deps.observe?.(statuses, entered);
    let failure: unknown;
    await this.publishPendingChanges().catch((error: unknown) => (failure = error));
    const lost = await this.publishUtilisation(reports);
    if (failure) throw failure;
    if (lost > 0)
      throw new Error(`${lost} utilisation report(s) not published; the next interval replaces them`);
    return true;
  }

  private async judgeAll(tx: SqlExecutor): Promise<JudgedRound> {
    const { rules, staleMs } = this.deps.config;
    const nowMs = this.deps.nowMs();
    const samples = await latestSamplesByEdge(tx);
    const stored = new Map((await loadVerdicts(tx)).map((verdict) => [verdict.edgeId, verdict]));
    const verdicts: StoredVerdict[] = [];
    const changes: HealthChangeData[] = [];
    const reports: UtilisationData[] = [];
    for (const edgeId of new Set([...samples.keys(), ...stored.keys()])) {
      const previous = stored.get(edgeId) ?? NEVER_JUDGED;
      const edgeSamples = samples.get(edgeId) ?? [];
      const { verdict, changed } = judgeEdge({ previous, samples: edgeSamples, rules, staleMs, nowMs });
      const at = new Date(nowMs).toISOString();
      if (changed) {
        const { status, change, reasons } = verdict;
        changes.push({ edgeId, previous: previous.status, status, change, reasons: [...reasons], at });
      }
      const report =
        verdict.status === 'unknown'
          ? undefined
          : this.utilisationDue(edgeId, edgeSamples, stored.get(edgeId), nowMs);
      if (report) reports.push(report);
      verdicts.push({
        ...verdict,
        edgeId,
        evaluatedMs: nowMs,
        utilisationReportedMs: report ? nowMs : (stored.get(edgeId)?.utilisationReportedMs ?? null),
      });
    }
    await saveVerdicts(tx, verdicts);
    await addToOutbox(tx, changes);
    return { reports, statuses: verdicts.map((v) => v.status), entered: changes.map((c) => c.status) };
  }

  /** At most one report per edge per HEALTH_UTILISATION_MS, and only of resources with a fresh sample. */
  private utilisationDue(
    edgeId: string,
    samples: readonly LatestSample[],
    stored: StoredVerdict | undefined,
    nowMs: number,
  ): UtilisationData | undefined {
    const { utilisationEveryMs, staleMs } = this.deps.config;
    const last = stored?.utilisationReportedMs ?? null;
    if (last !== null && nowMs - last < utilisationEveryMs) return undefined;
    const utilisation = utilisationOf(samples, nowMs, staleMs);
    if (Object.keys(utilisation).length === 0) return undefined;
    return { edgeId, utilisation, at: new Date(nowMs).toISOString() };
  }

  /** The outbox in order; an edge's later changes wait until its earlier one is acknowledged. */
  async publishPendingChanges(): Promise<number> {
    const { db, publisher } = this.deps;
    try {
      return await flushOutbox({ db, publisher, store: healthChangeOutbox });
    } catch (error) {
      if (!(error instanceof OutboxFlushError)) throw error;
      const message = `publishing health changes of ${error.aggregates} edge(s) failed; retried next round`;
      throw new Error(message, { cause: error });
    }
  }

  /** Resolves to how many reports could not be published. */
  private async publishUtilisation(reports: readonly UtilisationData[]): Promise<number> {
    const window = Math.floor(this.deps.nowMs() / this.deps.config.utilisationEveryMs);
    // A lost report is replaced by the next one an interval later: no outbox for these.
    const outcomes = await Promise.allSettled(
      reports.map((data) =>
        this.deps.publisher.publish({
          definition: EdgeUtilisationReported,
          aggregateId: data.edgeId,
          data,
          id: healthEventId('utilisation', data.edgeId, window),
        }),
      ),
    );
    return outcomes.filter((outcome) => outcome.status === 'rejected').length;
  }
}
