import type { BackboneLogger, EventPublisher, SqlDatabase } from '@kailash/backbone';
import { ProjectionFencedError, ProjectorLock, silentLogger } from '@kailash/backbone';
import type { AlertsConfig } from './alerts.config';
import { flushEventOutbox } from './event-outbox';
import { evaluateRule } from './rule-evaluation';
import { listRules } from './rule-store';
import { ruleValues } from './rule-values';
import { activeSilences } from './silence-store';
import { dispatchDue } from './webhook-dispatcher';

/** The name of the advisory lock the active evaluator holds. */
export const ALERT_EVALUATOR = 'alert-evaluator';

export interface AlertEngineOptions {
  readonly db: SqlDatabase;
  readonly publisher: EventPublisher;
  readonly config: AlertsConfig;
  /** The service clock: evaluations read its time and run on its interval. */
  readonly clock: { nowMs(): number; every(intervalMs: number, task: () => Promise<void>): () => void };
  readonly logger?: BackboneLogger;
}

export interface TickOutcome {
  readonly active: boolean;
  readonly rules: number;
  readonly transitions: number;
  readonly published: number;
}

/**
 * Continuous evaluation of every enabled rule, one active evaluator across replicas: the holder of
 * the advisory lock evaluates, the others stand by and take over when it stops or loses its
 * session (each rule's transaction re-checks the lock, so a fenced instance commits nothing).
 * All state lives in PostgreSQL, so a new holder resumes where the last one stopped.
 */
export class AlertEngine {
  private readonly lock: ProjectorLock;
  private readonly logger: BackboneLogger;
  private stops: (() => void)[] = [];
  private evaluating?: Promise<TickOutcome>;
  private dispatching?: Promise<unknown>;
  /** When the evaluation timer started: rounds are stamped origin + n × interval. */
  private origin?: number;

  constructor(private readonly options: AlertEngineOptions) {
    this.lock = new ProjectorLock(options.db, ALERT_EVALUATOR);
    this.logger = options.logger ?? silentLogger;
  }

  start(): void {
    if (this.stops.length > 0) return;
    const { clock, config } = this.options;
    this.origin = clock.nowMs();
    this.stops = [
      clock.every(config.evaluationMs, async () => void (await this.tick())),
      clock.every(config.evaluationMs, async () => void (await this.dispatch())),
    ];
  }

  async stop(): Promise<void> {
    for (const stop of this.stops) stop();
    this.stops = [];
    await Promise.allSettled([this.evaluating, this.dispatching]);
    await this.lock.release();
  }

  get active(): boolean {
    return this.lock.held;
  }

  /** One evaluation round (skipped while the previous one still runs); then the events go out. */
  tick(): Promise<TickOutcome> {
    this.evaluating ??= this.evaluateAll().finally(() => (this.evaluating = undefined));
    return this.evaluating;
  }

  /** Delivers the due webhook notifications (the active evaluator only). */
  dispatch(): Promise<unknown> {
    this.dispatching ??= (async () => {
      if (!this.lock.held) return [];
      return dispatchDue(this.options.db, this.options.config, this.options.clock.nowMs());
    })().finally(() => (this.dispatching = undefined));
    return this.dispatching;
  }

  /**
   * A round's time for the state machine: the time it was scheduled for, as Prometheus stamps its
   * evaluations, so a timer that fires a few ms early does not leave `for` a few ms short and
   * cost a whole extra round. Samples are read as of that time too, so an alert never counts
   * `for` from before the sample that made its condition true.
   */
  private scheduledTime(now: number): number {
    const interval = this.options.config.evaluationMs;
    if (this.origin === undefined) return now;
    return this.origin + Math.round((now - this.origin) / interval) * interval;
  }

  private async evaluateAll(): Promise<TickOutcome> {
    const { db, publisher, config, clock } = this.options;
    if (!(await this.lock.tryAcquire())) return { active: false, rules: 0, transitions: 0, published: 0 };
    try {
      const readAt = clock.nowMs();
      const now = this.scheduledTime(readAt);
      const rules = (await listRules(db)).filter((rule) => rule.spec.enabled);
      const silenced = await activeSilences(db, new Date(readAt));
      let transitions = 0;
      const context = { now, silenced, defaultWebhookUrl: config.defaultWebhookUrl };
      for (const rule of rules) {
        try {
          const values = await ruleValues(db, rule.spec, now);
          transitions += await db.transaction(async (tx) => {
            await this.lock.fence(tx);
            return evaluateRule(tx, rule, values, context);
          });
        } catch (error) {
          // One rule's failure (say, deleted while it was being evaluated) must not stop the others.
          if (error instanceof ProjectionFencedError) throw error;
          this.logger.warn('alert rule evaluation failed', { ruleId: rule.id, error: String(error) });
        }
      }
      const published = await flushEventOutbox(db, publisher);
      return { active: true, rules: rules.length, transitions, published };
    } catch (error) {
      this.logger.warn('alert evaluation failed', { error: String(error) });
      await this.lock.release().catch(() => undefined);
      throw error;
    }
  }
}
