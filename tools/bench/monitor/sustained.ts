import { EventPublisher, PgDatabase, readCheckpoint } from '@kailash/backbone';
import { MONITOR_DOMAIN, monitorEventCatalog } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import { Pool } from 'pg';
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
  readonly materialiserRuns: number;
  readonly bucketsFed: number;
  readonly anomalies: number;
  /** Seconds of the run each part was busy (they overlap: each runs in its own loop, as in the service). */
  readonly materialiserSeconds: number;
  readonly analyserSeconds: number;
  /** Virtual minutes between the newest ingested sample and the detector's last fed bucket, at most. */
  readonly maxDetectorLagMinutes: number;
  /** The analyser's wall time by statement (see `timedDatabase`). */
  readonly analyserStatements: Map<string, number>;
  readonly materialiserStatements: Map<string, number>;
  readonly ingestStatements: Map<string, number>;
}

/** monitor-svc's pool: one per service, shared by its parts (the database module's `max`). */
const SERVICE_POOL_SIZE = 10;

/**
 * The ingest, the rollup materialiser and the live analyser running together in one process, as
 * in monitor-svc, over a backlog of agents' windows replayed in compressed time. As in the service
 * each part runs on its own, drawing its own connections from one shared pool: the ingest drains
 * continuously; the virtual clock the materialiser and the analyser see moves one minute of agent
 * time once the ingest has committed that minute; the materialiser runs whenever the clock has
 * moved since its last run, the analyser passes whenever the clock or the materialiser's watermark
 * has (the service's 10- and 15-second timers fire several times a minute; a part still busy
 * starts its next run when done, never two at once). Neither waits for the other. Timed from the
 * ingest's start until the detector has been fed the last closed minute.
 */
export async function sustainedIngest(
  env: MonitorBenchEnv,
  options: { edges: number; windows: number; batchSize: number; analysedEdges: number },
): Promise<SustainedFigures> {
  for (const statement of ANALYTICS_SCHEMA_DDL) await env.db.query(statement);
  await analyseOnly(env.db, options.edges, options.analysedEdges);
  const { endMs } = await publishWindows(env, options);
  const pool = new Pool({ connectionString: env.database.url, max: SERVICE_POOL_SIZE });
  try {
    return await runTogether(env, new PgDatabase(pool), { ...options, endMs });
  } finally {
    await pool.end();
  }
}

interface Parts {
  readonly ingest: { stop(): Promise<void> };
  readonly materialiser: RollupMaterialiser;
  readonly analyser: LiveAnalyser;
  readonly statements: Record<'ingest' | 'materialiser' | 'analyser', Map<string, number>>;
}

async function runTogether(
  env: MonitorBenchEnv,
  db: PgDatabase,
  options: { edges: number; windows: number; batchSize: number; endMs: number },
): Promise<SustainedFigures> {
  const firstWindowEndMs = options.endMs - (options.windows - 1) * WINDOW_MS;
  const clock = new VirtualClock(firstWindowEndMs, lastMinuteBefore(options.endMs + 2 * MINUTE_MS));
  const parts = startParts(env, db, options.batchSize, clock);
  const started = process.hrtime.bigint();
  const sinceStart = () => Number(process.hrtime.bigint() - started) / 1e9;
  const windowOfSeq = (seq: number) => firstWindowEndMs + (Math.floor(seq / options.edges) - 1) * WINDOW_MS;
  const ticking = clock.follow(
    async () => windowOfSeq(await readCheckpoint(db, TELEMETRY_INGEST)),
    options.endMs,
  );
  const materialising = materialiserLoop(parts.materialiser, clock);
  const analysing = analyserLoop(db, parts.analyser, clock, sinceStart);
  // The parts stop (and let their lock sessions go) even when a loop fails: the pool cannot end
  // while a session is out, and the error would never surface.
  const [, folded, analysed] = await Promise.all([ticking, materialising, analysing]).finally(async () => {
    await parts.ingest.stop();
    await parts.materialiser.release();
    await parts.analyser.release();
  });
  const samples = await countSamples(db);
  return {
    samples,
    seconds: analysed.doneSeconds,
    perSecond: samples / analysed.doneSeconds,
    analysedSeries: analysed.series,
    ticks: analysed.ticks,
    materialiserRuns: folded.runs,
    bucketsFed: analysed.buckets,
    anomalies: analysed.anomalies,
    materialiserSeconds: folded.seconds,
    analyserSeconds: analysed.seconds,
    maxDetectorLagMinutes: analysed.lagMinutes,
    analyserStatements: parts.statements.analyser,
    materialiserStatements: parts.statements.materialiser,
    ingestStatements: parts.statements.ingest,
  };
}

function startParts(env: MonitorBenchEnv, db: PgDatabase, batchSize: number, clock: VirtualClock): Parts {
  const statements = { ingest: new Map(), materialiser: new Map(), analyser: new Map() };
  const analyser = new LiveAnalyser({
    db: timedDatabase(db, statements.analyser),
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
    nowMs: () => clock.nowMs,
  });
  return {
    ingest: startIngest(env, batchSize, timedDatabase(db, statements.ingest)),
    materialiser: new RollupMaterialiser(timedDatabase(db, statements.materialiser)),
    analyser,
    statements,
  };
}

const lastMinuteBefore = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;

/**
 * Agent time as the parts see it: it moves to the next minute once the ingest has committed the
 * windows up to it, and on to `lastMs` (the last whole minute at most two minutes past the last window, so every
 * minute closes).
 */
class VirtualClock {
  /** Bumped whenever the clock moves or the materialiser finishes a run: what the loops wait on. */
  private version = 0;
  private waiting: (() => void)[] = [];
  /** The clock time of the materialiser's latest finished run. */
  foldedAtMs = Number.NEGATIVE_INFINITY;

  constructor(
    public nowMs: number,
    readonly lastMs: number,
  ) {}

  get current(): number {
    return this.version;
  }

  get foldedLast(): boolean {
    return this.foldedAtMs >= this.lastMs;
  }

  /** Moves minute by minute while `ingestedToMs` says the ingest has committed that far. */
  async follow(ingestedToMs: () => Promise<number>, lastWindowMs: number): Promise<void> {
    for (let next = (Math.floor(this.nowMs / MINUTE_MS) + 1) * MINUTE_MS; next <= this.lastMs;) {
      if ((await ingestedToMs()) < Math.min(next, lastWindowMs)) {
        await sleep(5);
        continue;
      }
      this.nowMs = next;
      this.bump();
      next += MINUTE_MS;
    }
  }

  folded(atMs: number): void {
    this.foldedAtMs = atMs;
    this.bump();
  }

  /** Resolves once the version differs from `seen`; returns the version then. */
  async changedSince(seen: number): Promise<number> {
    if (this.version === seen) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.version;
  }

  private bump(): void {
    this.version++;
    for (const resolve of this.waiting.splice(0)) resolve();
  }
}

/** Folds each time the clock has moved, until it has folded at the clock's last minute. */
async function materialiserLoop(
  materialiser: RollupMaterialiser,
  clock: VirtualClock,
): Promise<{ runs: number; seconds: number }> {
  let runs = 0;
  let seconds = 0;
  for (;;) {
    const seen = clock.current;
    if (clock.nowMs > clock.foldedAtMs) {
      const atMs = clock.nowMs;
      const at = process.hrtime.bigint();
      await materialiser.runOnce(atMs);
      seconds += Number(process.hrtime.bigint() - at) / 1e9;
      runs++;
      clock.folded(atMs);
      if (clock.foldedLast) return { runs, seconds };
    } else await clock.changedSince(seen);
  }
}

interface AnalysedTotals {
  ticks: number;
  buckets: number;
  anomalies: number;
  series: number;
  seconds: number;
  lagMinutes: number;
  /** Seconds from the start until the detector was fed the last closed minute. */
  doneSeconds: number;
}

/**
 * Passes whenever the clock has moved or the materialiser has finished a run since the last pass.
 * After the materialiser's run at the clock's last minute it passes until a pass feeds nothing;
 * the run is done at the end of the last pass that fed a bucket, or of the first pass begun after
 * that final run if it ends later (it saw every minute the final run folded).
 */
async function analyserLoop(
  db: PgDatabase,
  analyser: LiveAnalyser,
  clock: VirtualClock,
  sinceStart: () => number,
): Promise<AnalysedTotals> {
  const totals: AnalysedTotals = {
    ...{ ticks: 0, buckets: 0, anomalies: 0, series: 0 },
    ...{ seconds: 0, lagMinutes: 0, doneSeconds: 0 },
  };
  let seen = -1;
  let passesAfterLastFold = 0;
  for (;;) {
    seen = await clock.changedSince(seen);
    const afterLastFold = clock.foldedLast;
    const at = process.hrtime.bigint();
    const tick = await analyser.tick();
    totals.seconds += Number(process.hrtime.bigint() - at) / 1e9;
    totals.ticks++;
    totals.buckets += tick.buckets;
    totals.anomalies += tick.anomalies;
    totals.series = Math.max(totals.series, tick.series);
    const fedMs = await lastFedMs(db);
    if (Number.isFinite(fedMs))
      totals.lagMinutes = Math.max(totals.lagMinutes, (clock.nowMs - fedMs) / MINUTE_MS);
    if (afterLastFold) passesAfterLastFold++;
    if (tick.buckets > 0 || passesAfterLastFold === 1) totals.doneSeconds = sinceStart();
    if (afterLastFold && tick.buckets === 0) return totals;
    if (afterLastFold) seen = -1; // a pass feeds at most maxBucketsPerTick a series: pass again
  }
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
