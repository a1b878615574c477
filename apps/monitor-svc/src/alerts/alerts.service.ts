import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { EventPublisher } from '@kailash/backbone';
import type {
  AlertRuleSpec,
  AlertRuleView,
  AlertView,
  GetAlertsQuery,
  SilenceSpec,
  SilenceView,
} from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { SERVICE_CONFIG, ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import { AlertEngine } from './alert-engine';
import { findAlerts } from './alert-query';
import type { AlertsConfig } from './alerts.config';
import { loadAlertsConfig } from './alerts.config';
import { flushEventOutbox } from './event-outbox';
import { resolveOnDelete } from './rule-deletion';
import { findRule, insertRule, listRules, replaceRule } from './rule-store';
import { activeSilences, deleteSilence, insertSilence, listSilences } from './silence-store';

/** Alert rules (set_threshold), silences, get_alerts, and the continuous evaluation behind them. */
@Injectable()
export class AlertsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Alerts');
  readonly config: AlertsConfig;
  readonly engine: AlertEngine;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) serviceConfig: ServiceConfig,
    private readonly publisher: EventPublisher,
    private readonly clock: ServiceClock,
  ) {
    this.config = loadAlertsConfig(serviceConfig.env);
    this.engine = new AlertEngine({
      db,
      publisher,
      config: this.config,
      clock,
      logger: {
        info: (msg, meta) => this.logger.log({ msg, ...meta }),
        warn: (msg, meta) => this.logger.warn({ msg, ...meta }),
        error: (msg, meta) => this.logger.error({ msg, ...meta }),
      },
    });
  }

  onApplicationBootstrap(): void {
    this.engine.start();
  }

  onModuleDestroy(): Promise<void> {
    return this.engine.stop();
  }

  createRule(spec: AlertRuleSpec, actor: string): Promise<AlertRuleView> {
    return insertRule(this.db, spec, actor, new Date(this.clock.nowMs()));
  }

  updateRule(ruleId: string, spec: AlertRuleSpec, actor: string): Promise<AlertRuleView> {
    return replaceRule(this.db, ruleId, spec, actor, new Date(this.clock.nowMs()));
  }

  /** Its firing alerts resolve (events, not notifications) as the rule goes. */
  async deleteRule(ruleId: string, actor: string): Promise<{ deleted: boolean }> {
    const resolved = await this.db.transaction((tx) =>
      resolveOnDelete(tx, ruleId, actor, this.clock.nowMs()),
    );
    this.logger.log({ msg: 'alert rule deleted', ruleId, actor, resolved });
    await flushEventOutbox(this.db, this.publisher).catch((error: unknown) =>
      // The outbox keeps them: the next evaluation round publishes them.
      this.logger.warn({ msg: 'publishing resolved alerts deferred', error: String(error) }),
    );
    return { deleted: true };
  }

  getRule(ruleId: string): Promise<AlertRuleView> {
    return findRule(this.db, ruleId);
  }

  async listRules(): Promise<{ rules: AlertRuleView[] }> {
    return { rules: await listRules(this.db) };
  }

  createSilence(spec: SilenceSpec, actor: string): Promise<SilenceView> {
    return insertSilence(this.db, spec, actor, new Date(this.clock.nowMs()));
  }

  async deleteSilence(silenceId: string, actor: string): Promise<{ deleted: boolean }> {
    const deleted = await deleteSilence(this.db, silenceId);
    this.logger.log({ msg: 'silence ended', silenceId, actor });
    return { deleted };
  }

  async listSilences(): Promise<{ silences: SilenceView[] }> {
    return { silences: await listSilences(this.db, new Date(this.clock.nowMs())) };
  }

  async alerts(query: GetAlertsQuery): Promise<{ alerts: AlertView[] }> {
    const silenced = await activeSilences(this.db, new Date(this.clock.nowMs()));
    return { alerts: await findAlerts(this.db, query, silenced) };
  }
}
