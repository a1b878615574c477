import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { SqlDatabase } from '@kailash/backbone';
import { EventPublisher } from '@kailash/backbone';
import type {
  AnalysisRules,
  AnalysisSelection,
  AnalyticsRequest,
  AnalyticsResult,
  AnomalyList,
  AnomalyQuery,
  Recommendation,
  SeriesTrend,
  TrendRequest,
  TrendResult,
} from '@kailash/contracts';
import type { ServiceConfig } from '@kailash/service-kit';
import { SERVICE_CONFIG, ServiceClock, SQL_DATABASE } from '@kailash/service-kit';
import type { AnalyticsConfig } from './analytics.config';
import { loadAnalyticsConfig } from './analytics.config';
import { countsAsUtilisation, findAnomalies, utilisationStats, type SeriesStatRow } from './analytics-read';
import { readHealth } from './health-read';
import { LiveAnalyser } from './live-analyser';
import { rankRecommendations, recommend } from './recommendations';
import { applySelection, loadRules } from './selections';
import { seriesOf, trendsOf } from './trends';

/** Edges whose utilisation trends a fleet-wide get_analytics computes (the busiest by CPU). */
const FLEET_TREND_EDGES = 20;
const TREND_HORIZON_MS = 3600_000;

/** start/stop_monitor, the live analyser's lifecycle, anomalies, trends and get_analytics. */
@Injectable()
export class AnalyticsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Analytics');
  private readonly config: AnalyticsConfig;
  private readonly analyser: LiveAnalyser;
  private stopTicks?: () => void;
  private ticking?: Promise<unknown>;

  constructor(
    @Inject(SQL_DATABASE) private readonly db: SqlDatabase,
    @Inject(SERVICE_CONFIG) serviceConfig: ServiceConfig,
    publisher: EventPublisher,
    private readonly clock: ServiceClock,
  ) {
    this.config = loadAnalyticsConfig(serviceConfig.env);
    this.analyser = new LiveAnalyser({
      db,
      publisher,
      config: this.config,
      nowMs: () => clock.nowMs(),
      logger: {
        info: (msg, meta) => this.logger.log({ msg, ...meta }),
        warn: (msg, meta) => this.logger.warn({ msg, ...meta }),
        error: (msg, meta) => this.logger.error({ msg, ...meta }),
      },
    });
  }

  onApplicationBootstrap(): void {
    this.stopTicks = this.clock.every(this.config.tickMs, () => this.tick());
  }

  async onModuleDestroy(): Promise<void> {
    this.stopTicks?.();
    await this.ticking?.catch(() => undefined);
    await this.analyser.release();
  }

  /** One analyser pass at a time: a slow pass makes the next tick skip, not pile up. */
  private async tick(): Promise<void> {
    if (this.ticking) return;
    this.ticking = this.analyser.tick();
    try {
      await this.ticking;
    } catch (error) {
      await this.analyser.release().catch(() => undefined);
      throw error;
    } finally {
      this.ticking = undefined;
    }
  }

  async select(selection: AnalysisSelection, analysed: boolean, actor: string): Promise<AnalysisRules> {
    await this.db.transaction((tx) => applySelection(tx, selection, analysed, actor, this.clock.nowMs()));
    return loadRules(this.db);
  }

  rules(): Promise<AnalysisRules> {
    return loadRules(this.db);
  }

  async anomalies(query: AnomalyQuery): Promise<AnomalyList> {
    return { anomalies: await findAnomalies(this.db, query) };
  }

  async trends(request: TrendRequest): Promise<TrendResult> {
    const series = await seriesOf(this.db, request.edgeId, request.metric, request.labels);
    const window = { nowMs: this.clock.nowMs(), windowMs: request.windowMs, horizonMs: request.horizonMs };
    return { trends: await trendsOf(this.db, series, window) };
  }

  /** Trends, anomalies and ranked recommendations for one edge or the fleet over the window. */
  async analytics(request: AnalyticsRequest): Promise<AnalyticsResult> {
    const toMs = this.clock.nowMs();
    const fromMs = toMs - request.windowMs;
    const stats = (await utilisationStats(this.db, request.edgeId, fromMs, toMs)).filter((s) =>
      countsAsUtilisation(s, this.config.cpuLabels),
    );
    const { anomalies } = await this.anomalies({
      edgeId: request.edgeId,
      from: new Date(fromMs).toISOString(),
      to: new Date(toMs + 1).toISOString(),
      limit: 1000,
    });
    const health = await readHealth(this.db, request.edgeId);
    const troubled = [...health].filter(([, h]) => h.status !== 'healthy').map(([edgeId]) => edgeId);
    const edges = [
      ...new Set([
        ...(request.edgeId ? [request.edgeId] : []),
        ...stats.map((s) => s.edgeId),
        ...anomalies.map((a) => a.edgeId),
        ...troubled,
      ]),
    ];
    const trended = new Set(busiestEdges(stats, FLEET_TREND_EDGES));
    const trends: SeriesTrend[] = [];
    const recommendations: Recommendation[] = [];
    for (const edgeId of edges.sort()) {
      const own = stats.filter((s) => s.edgeId === edgeId);
      const edgeTrends = trended.has(edgeId) ? await this.utilisationTrends(own, toMs, request.windowMs) : [];
      trends.push(...edgeTrends);
      recommendations.push(
        ...recommend({
          edgeId,
          fromMs,
          toMs,
          cpu: own.filter((s) => s.metric === 'cpu'),
          memory: own.filter((s) => s.metric === 'memory'),
          errorRate: own.filter((s) => s.metric === 'error_rate'),
          trends: edgeTrends,
          anomalies: anomalies.filter((a) => a.edgeId === edgeId),
          ...(health.has(edgeId) ? { health: health.get(edgeId) } : {}),
        }),
      );
    }
    return {
      scope: {
        ...(request.edgeId ? { edgeId: request.edgeId } : {}),
        from: new Date(fromMs).toISOString(),
        to: new Date(toMs).toISOString(),
      },
      trends,
      anomalies,
      recommendations: rankRecommendations(recommendations),
    };
  }

  private utilisationTrends(stats: readonly SeriesStatRow[], nowMs: number, windowMs: number) {
    const series = stats
      .filter((s) => s.metric === 'cpu' || s.metric === 'memory')
      .map((s) => ({ id: s.id, edgeId: s.edgeId, metric: s.metric, labels: s.labels }));
    return trendsOf(this.db, series, { nowMs, windowMs, horizonMs: TREND_HORIZON_MS });
  }
}

function busiestEdges(stats: readonly SeriesStatRow[], count: number): string[] {
  const peak = new Map<string, number>();
  for (const s of stats)
    if (s.metric === 'cpu') peak.set(s.edgeId, Math.max(peak.get(s.edgeId) ?? 0, s.mean));
  return [...peak.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([edgeId]) => edgeId);
}
