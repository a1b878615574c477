import type { PgDatabase } from '@kailash/backbone';
import { EventPublisher, readCheckpoint } from '@kailash/backbone';
import { MONITOR_DOMAIN, monitorEventCatalog } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import { DEFAULT_ANALYTICS_CONFIG } from '../../../apps/monitor-svc/src/analytics/analytics.config';
import { LiveAnalyser } from '../../../apps/monitor-svc/src/analytics/live-analyser';
import { ANALYTICS_SCHEMA_DDL } from '../../../apps/monitor-svc/src/analytics/schema';
import { applySelection } from '../../../apps/monitor-svc/src/analytics/selections';
import { RollupMaterialiser } from '../../../apps/monitor-svc/src/series/rollup-materialiser';
import { MINUTE_MS } from '../../../apps/monitor-svc/src/series/rollup';
import { TELEMETRY_INGEST } from '../../../apps/monitor-svc/src/series/telemetry-ingest';
import type { Rate } from './ingest';
import { countSamples, publishWindows, sleep, startIngest, timedDatabase, WINDOW_MS } from './ingest';
import type { MonitorBenchEnv } from './setup';
import { benchEdgeId } from './setup';

export interface SustainedFigures extends Rate {
  readonly analysedSeries: number;
  readonly ticks: number;
  readonly bucketsFed: number;
  readonly anomalies: number;
  /** Seconds of the run each part was busy (they overlap: one process, awaited in turn per loop). */
  readonly materialiserSeconds: number;
  readonly analyserSeconds: number;
  /** Virtual minutes between the newest ingested sample and the detector's last fed bucket, at most. */
  readonly maxDetectorLagMinutes: number;
  /** The analyser's wall time by statement (see `timedDatabase`). */
  readonly analyserStatements: Map<string, number>;
  readonly materialiserStatements: Map<string, number>;
  readonly ingestStatements: Map<string, number>;
}

/**
 * The ingest, the rollup materialiser and the live analyser running together in one process, as
 * in monitor-svc, over a backlog of agents' windows replayed in compressed time: the clock the
 * materialiser and the analyser see moves one minute of agent time once the ingest has committed
 * that minute, and each minute gets one materialiser run and one analyser pass (the service's
 * 15-second tick gives at least one per minute), so every analysed series is fed each closed
 * minute in its own pass, as in real time. The ingest keeps draining while they run. Timed from
 * the ingest's start until the detector has been fed the last closed minute.
 */
export async function sustainedIngest(
  env: MonitorBenchEnv,
  options: { edges: number; windows: number; batchSize: number; analysedEdges: number },
): Promise<SustainedFigures> {
  for (const statement of ANALYTICS_SCHEMA_DDL) await env.db.query(statement);
  await analyseOnly(env.db, options.edges, options.analysedEdges);
  const { endMs } = await publishWindows(env, options);
  const firstWindowEndMs = endMs - (options.windows - 1) * WINDOW_MS;
  const windowOfSeq = (seq: number) => firstWindowEndMs + (Math.floor(seq / options.edges) - 1) * WINDOW_MS;
  let virtualNowMs = firstWindowEndMs;
  const materialiserStatements = new Map<string, number>();
  const materialiser = new RollupMaterialiser(timedDatabase(env.db, materialiserStatements));
  const analyserStatements = new Map<string, number>();
  const analyser = new LiveAnalyser({
    db: timedDatabase(env.db, analyserStatements),
    // Anomalies go out through the outbox to a real MONITOR stream, as in the service.
    publisher: new EventPublisher({
      js: env.js,
      subjects: env.subjects,
      domain: MONITOR_DOMAIN,
      clock: new HybridLogicalClock({ nodeId: 'bench-analyser' }),
      source: { service: 'monitor-svc', instance: 'bench' },
      catalog: monitorEventCatalog,
    }),
    config: DEFAULT_ANALYTICS_CONFIG,
    nowMs: () => virtualNowMs,
  });
  const totals = { ticks: 0, buckets: 0, anomalies: 0, series: 0, materialiser: 0, analyser: 0, lag: 0 };
  const ingestStatements = new Map<string, number>();
  const ingest = startIngest(env, options.batchSize, timedDatabase(env.db, ingestStatements));
  const started = process.hrtime.bigint();
  const busy = async (part: 'materialiser' | 'analyser', work: () => Promise<unknown>) => {
    const at = process.hrtime.bigint();
    await work();
    totals[part] += Number(process.hrtime.bigint() - at) / 1e9;
  };
  const round = async () => {
    await busy('materialiser', () => materialiser.runOnce(virtualNowMs));
    await busy('analyser', async () => {
      const tick = await analyser.tick();
      totals.ticks++;
      totals.buckets += tick.buckets;
      totals.anomalies += tick.anomalies;
      totals.series = Math.max(totals.series, tick.series);
    });
    const fedMs = await lastFedMs(env.db);
    if (Number.isFinite(fedMs)) totals.lag = Math.max(totals.lag, (virtualNowMs - fedMs) / MINUTE_MS);
  };
  // One round per minute of agent time, as the service's clock gives it: each pass feeds each
  // series the one minute that closed, never a backlog of several at once.
  const lastRoundMs = endMs + 2 * MINUTE_MS;
  for (let clockMs = (Math.floor(virtualNowMs / MINUTE_MS) + 1) * MINUTE_MS; clockMs <= lastRoundMs;) {
    const checkpoint = await readCheckpoint(env.db, TELEMETRY_INGEST);
    if (windowOfSeq(checkpoint) < Math.min(clockMs, endMs)) {
      await sleep(5);
      continue;
    }
    virtualNowMs = clockMs;
    await round();
    clockMs += MINUTE_MS;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  await ingest.stop();
  await materialiser.release();
  await analyser.release();
  const samples = await countSamples(env.db);
  return {
    samples,
    seconds: elapsed,
    perSecond: samples / elapsed,
    analysedSeries: totals.series,
    ticks: totals.ticks,
    bucketsFed: totals.buckets,
    anomalies: totals.anomalies,
    materialiserSeconds: totals.materialiser,
    analyserSeconds: totals.analyser,
    maxDetectorLagMinutes: totals.lag,
    analyserStatements,
    materialiserStatements,
    ingestStatements,
  };
}

/** Every metric of the first `analysed` edges analysed and no other series (all of them when all edges are). */
async function analyseOnly(db: PgDatabase, edges: number, analysed: number): Promise<void> {
  if (analysed >= edges) return;
  await db.transaction(async (tx) => {
    await applySelection(tx, {}, false, 'bench', Date.now());
    for (let e = 0; e < analysed; e++)
      await applySelection(tx, { edgeId: benchEdgeId(e) }, true, 'bench', Date.now());
  });
}

async function lastFedMs(db: PgDatabase): Promise<number> {
  const [row] = await db.query<{ ms: number | null }>(
    'SELECT (extract(epoch FROM min(last_bucket)) * 1000)::float8 AS ms FROM analytics_cursors',
  );
  return row?.ms ?? Number.NaN;
}
