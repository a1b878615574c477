import type { SqlDatabase, SqlExecutor } from '@kailash/backbone';
import {
  createStreamIfMissing,
  domainStreamSpec,
  EventPublisher,
  OUTBOX_ATTEMPTS_DDL,
  PgDatabase,
} from '@kailash/backbone';
import type { HealthReason, MetricSample } from '@kailash/contracts';
import { MONITOR_DOMAIN, monitorEventCatalog, SubjectSpace } from '@kailash/contracts';
import { HybridLogicalClock } from '@kailash/hlc';
import type { TestDatabase } from '@kailash/testing';
import {
  connectTestNats,
  createTestDatabase,
  deleteStreamsWithPrefix,
  readStoredEvents,
  uniqueName,
} from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { Pool } from 'pg';
import { CreateEdgeHealth1796127885700 } from '../health/1796127885700-create-edge-health';
import { saveVerdicts } from '../health/health-store';
import { createPartitions, DEFAULT_PARTITION_POLICY } from '../series/partitions';
import { materialiseRollups } from '../series/rollup-materialiser';
import { writeSamples } from '../series/sample-writer';
import { SERIES_SCHEMA_DDL } from '../series/schema';
import { DEFAULT_ANALYTICS_CONFIG } from './analytics.config';
import { feedBuckets, liveDetector, MINUTE_MS } from './detector-step';
import { freshDetector, restoreDetector, saveDetectors } from './detector-store';
import { readHealth } from './health-read';
import { recommend } from './recommendations';
import { LiveAnalyser } from './live-analyser';
import { ANALYTICS_SCHEMA_DDL } from './schema';
import { applySelection } from './selections';

const NOW = Date.parse('2026-12-01T12:00:00.000Z');
const MINUTES = 400;
const SPIKE = 300;
const START = NOW - (MINUTES + 5) * MINUTE_MS;
const ANALYSER_APP = 'monitor-analyser-under-test';

/** A regular, slightly noisy per-minute CPU with one clear spike; three samples a minute. */
function cpuSamples(edgeId: string, fromMinute: number, toMinute: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (let i = fromMinute; i < toMinute; i++)
    for (const second of [5, 25, 45]) {
      const base = 40 + 8 * Math.sin((2 * Math.PI * i) / 30) + ((i * 7919 + second) % 13) / 13;
      samples.push({
        edgeId,
        metric: 'cpu',
        labels: {},
        value: i === SPIKE ? 99 : base,
        at: new Date(START + i * MINUTE_MS + second * 1000).toISOString(),
      });
    }
  return samples;
}

describe('live analyser over the rollups (real NATS + PostgreSQL)', () => {
  let nc: NatsConnection;
  let jsm: JetStreamManager;
  let database: TestDatabase;
  let db: PgDatabase;
  let pool: Pool;
  let publisher: EventPublisher;
  const subjects = new SubjectSpace(uniqueName('mon'));
  const analysers: LiveAnalyser[] = [];
  /** The instance holding the analyser lock after the restart test. */
  let active: LiveAnalyser | undefined;
  const config = { ...DEFAULT_ANALYTICS_CONFIG, maxBucketsPerTick: 90 };

  const newAnalyser = (executor: PgDatabase = new PgDatabase(pool)) => {
    const analyser = new LiveAnalyser({ db: executor, publisher, config, nowMs: () => NOW });
    analysers.push(analyser);
    return analyser;
  };
  // Written, then folded into the rollups by the materialiser, as the service does every few seconds.
  const write = async (samples: MetricSample[]) => {
    await db.transaction((tx) => writeSamples(tx, samples));
    await materialiseRollups(db, NOW);
  };
  const stored = async (edgeId: string) =>
    db.query<{ bucket: Date; score: number; published_at: Date | null }>(
      `SELECT bucket, score, published_at FROM analytics_anomalies WHERE edge_id = $1 ORDER BY bucket`,
      [edgeId],
    );
  const cursorOf = async (edgeId: string) => {
    const [row] = await db.query<{ last_bucket: Date }>(
      `SELECT c.last_bucket FROM analytics_cursors c JOIN metric_series s ON s.id = c.series_id
        WHERE s.edge_id = $1`,
      [edgeId],
    );
    return row?.last_bucket.getTime();
  };
  /** What one uninterrupted detector finds on the same per-minute means. */
  const uninterrupted = async (edgeId: string) => {
    const rows = await db.query<{ bucket: Date; mean: number }>(
      `SELECT r.bucket, r.sum / r.count AS mean FROM metric_rollups_1m r
         JOIN metric_series s ON s.id = r.series_id WHERE s.edge_id = $1 ORDER BY r.bucket`,
      [edgeId],
    );
    const buckets = rows.map((row) => ({ bucketMs: row.bucket.getTime(), mean: Number(row.mean) }));
    return feedBuckets(liveDetector(), buckets, config.threshold);
  };
  const events = () => readStoredEvents(jsm, subjects.stream(MONITOR_DOMAIN), '>');

  beforeAll(async () => {
    nc = await connectTestNats('monitor-analyser');
    jsm = await jetstreamManager(nc);
    await createStreamIfMissing(jsm, domainStreamSpec(subjects, MONITOR_DOMAIN));
    publisher = new EventPublisher({
      js: jetstream(nc),
      subjects,
      domain: MONITOR_DOMAIN,
      clock: new HybridLogicalClock({ nodeId: 'analyser-test' }),
      source: { service: 'monitor-svc', instance: 'test' },
      catalog: monitorEventCatalog,
    });
    database = await createTestDatabase('monitor_analyser');
    db = new PgDatabase(database.pool);
    pool = new Pool({ connectionString: database.url, application_name: ANALYSER_APP, max: 4 });
    for (const statement of [...SERIES_SCHEMA_DDL, ...ANALYTICS_SCHEMA_DDL, OUTBOX_ATTEMPTS_DDL])
      await db.query(statement);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, NOW);
  }, 30_000);

  afterAll(async () => {
    for (const analyser of analysers) await analyser.release().catch(() => undefined);
    await deleteStreamsWithPrefix(jsm, subjects.stream(MONITOR_DOMAIN).replace(/_MONITOR$/, ''));
    await nc?.close();
    await pool?.end();
    await database?.drop();
  }, 30_000);

  it('resumes the stored detector after a restart and a killed connection: the anomalies of an uninterrupted run, each once', async () => {
    await write(cpuSamples('cut', 0, MINUTES));
    const first = newAnalyser();
    expect(await first.tick()).toMatchObject({ active: true, series: 1, buckets: 90 });
    // A standby instance does nothing while the first one holds the analyser lock.
    expect(await newAnalyser(new PgDatabase(database.pool)).tick()).toMatchObject({ active: false });
    await first.tick();
    // The first instance's connections die (as in a kill -9). Its next pass either fails on a dead
    // connection or, if the pool already replaced it, completes: whichever happens, the stored cursor
    // says exactly what was fed, nothing half-done stays, and the instance then goes away.
    await db.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = $2',
      [database.name, ANALYSER_APP],
    );
    const fedAfterKill = await first.tick().then(
      (pass) => pass.buckets,
      () => 0,
    );
    expect(await cursorOf('cut')).toBe(START + (179 + fedAfterKill) * MINUTE_MS);
    await first.release().catch(() => undefined);
    const second = newAnalyser();
    active = second;
    let fed = 0;
    for (let pass = 0; pass < 5; pass++) fed += (await second.tick()).buckets;
    expect(fed).toBe(MINUTES - 180 - fedAfterKill);
    const expected = await uninterrupted('cut');
    expect(expected.map((a) => a.bucketMs)).toContain(START + SPIKE * MINUTE_MS);
    const found = await stored('cut');
    expect(found.map((a) => ({ bucketMs: a.bucket.getTime(), score: a.score }))).toEqual(
      expected.map((a) => ({ bucketMs: a.bucketMs, score: a.score })),
    );
    expect(found.every((a) => a.published_at !== null)).toBe(true);
    const published = (await events()).filter((e) => e.data['edgeId'] === 'cut');
    expect(published.map((e) => Date.parse(String(e.data['bucket'])))).toEqual(
      expected.map((a) => a.bucketMs),
    );
    expect(published.map((e) => e.type)).toEqual(expected.map(() => 'anomaly.detected'));
    // Nothing new to feed or publish: another pass changes nothing.
    expect(await second.tick()).toMatchObject({ series: 0, buckets: 0, anomalies: 0, published: 0 });
    expect((await events()).length).toBe(published.length);
  }, 60_000);

  it('republishes an anomaly left unpublished by a crash without doubling it on the stream', async () => {
    const before = (await events()).length;
    await db.query(`UPDATE analytics_anomalies SET published_at = NULL WHERE edge_id = 'cut'`);
    const outcome = await active?.tick();
    expect(outcome?.published).toBe(before);
    expect((await events()).length).toBe(before);
  }, 30_000);

  it('stops analysing a series stop_monitor covers, and resumes it after start_monitor', async () => {
    for (const analyser of analysers) await analyser.release();
    const analyser = newAnalyser();
    await write(cpuSamples('paused', 0, 100));
    await db.transaction((tx) => applySelection(tx, { edgeId: 'paused' }, false, 'tester', NOW));
    const stopped = await analyser.tick();
    expect(stopped.buckets).toBe(0);
    expect(await cursorOf('paused')).toBeUndefined();
    await db.transaction((tx) =>
      applySelection(tx, { edgeId: 'paused', metrics: ['cpu'] }, true, 'tester', NOW),
    );
    expect((await analyser.tick()).buckets).toBe(90);
    expect(await cursorOf('paused')).toBe(START + 89 * MINUTE_MS);
  }, 30_000);

  it('relearns a series whose stored state the detector refuses instead of failing every pass', async () => {
    await db.query(`UPDATE analytics_cursors SET detector = '{"state": {"version": 99}, "historySize": 0, "seen": 90}'::jsonb
                     WHERE series_id = (SELECT id FROM metric_series WHERE edge_id = 'paused')`);
    await write(cpuSamples('paused', 100, 110));
    const outcome = await analysers
      .at(-1)
      ?.release()
      .then(() => newAnalyser().tick());
    // The ten buckets left after the last pass, and the ten new ones.
    expect(outcome).toMatchObject({ active: true, buckets: 20 });
    const [row] = await db.query<{
      detector: { state: { version: number }; historySize: number; seen: number };
    }>(
      `SELECT detector FROM analytics_cursors WHERE series_id = (SELECT id FROM metric_series WHERE edge_id = 'paused')`,
    );
    expect(row?.detector).toMatchObject({ state: { version: 1 }, historySize: 20, seen: 20 });
  }, 30_000);

  it('reads the health verdicts for the recommendations', async () => {
    await new CreateEdgeHealth1796127885700().up({ query: (sql: string) => db.query(sql) } as never);
    expect(await readHealth(db)).toEqual(new Map());
    const reasons: HealthReason[] = [
      {
        rule: 'cpu-high',
        metric: 'cpu',
        labels: {},
        level: 'unhealthy',
        value: 99,
        threshold: 95,
        comparison: 'above',
        since: new Date(NOW - 600_000).toISOString(),
      },
    ];
    const verdict = {
      change: 1,
      rules: {},
      lastSampleMs: NOW,
      evaluatedMs: NOW,
      utilisationReportedMs: null,
    };
    await saveVerdicts(db, [
      { ...verdict, edgeId: 'sick', status: 'unhealthy', sinceMs: NOW - 60_000, reasons },
      { ...verdict, edgeId: 'fine', status: 'healthy', sinceMs: NOW - 60_000, reasons: [] },
    ]);
    const health = await readHealth(db);
    expect(health.get('sick')).toMatchObject({
      status: 'unhealthy',
      reason: `cpu 99, unhealthy for above 95 since ${new Date(NOW - 600_000).toISOString()}`,
      reasons,
    });
    expect(health.get('fine')).toMatchObject({ status: 'healthy', reason: undefined });
    const [drain] = recommend({
      edgeId: 'sick',
      fromMs: NOW - 3600_000,
      toMs: NOW,
      cpu: [],
      memory: [],
      errorRate: [],
      trends: [],
      anomalies: [],
      health: health.get('sick'),
    });
    expect(drain).toMatchObject({ action: 'drain', severity: 'critical' });
    expect(drain?.evidence).toEqual([
      expect.objectContaining({
        metric: 'cpu',
        measure: 'health rule cpu-high (above)',
        value: 99,
        threshold: 95,
      }),
    ]);
  }, 30_000);

  it('logs only new values per pass, prunes what left the history, and restores the same detector past a relearn', async () => {
    const values = Array.from(
      { length: 8300 },
      (_, i) => 50 + 10 * Math.sin(i / 9) + (i % 11) / 11 + (i > 5000 ? 30 : 0),
    );
    const whole = liveDetector();
    values.forEach((v) => whole.update(v));
    const seriesId = '999999';
    let stored: unknown;
    let kept: Awaited<ReturnType<typeof freshDetector>> | undefined;
    for (let from = 0; from < values.length; from += 1100)
      stored = await db.transaction(async (tx) => {
        // Kept in memory between passes, as the analyser does, but rebuilt from the store once midway.
        const loaded =
          stored === undefined
            ? await freshDetector(tx, seriesId)
            : from === 5500
              ? await restoreDetector(tx, seriesId, stored)
              : (kept as Awaited<ReturnType<typeof freshDetector>>);
        const pass = values.slice(from, from + 1100);
        // Given the history size before the pass, as the analyser gives it, a pass prunes only
        // when values left the history.
        const historyBefore = loaded.detector.historySize;
        pass.forEach((v) => loaded.detector.update(v));
        const [saved] = await saveDetectors(tx, [{ seriesId, loaded, fed: pass, historyBefore }]);
        if (!saved) throw new Error('no state saved');
        kept = { detector: loaded.detector, seen: saved.seen };
        return saved;
      });
    const restored = await db.transaction((tx) => restoreDetector(tx, seriesId, stored));
    expect(restored.detector.snapshot()).toEqual(whole.snapshot());
    expect(restored.seen).toBe(values.length);
    const [logged] = await db.query<{ n: string }>(
      'SELECT count(*) AS n FROM analytics_detector_values WHERE series_id = $1',
      [seriesId],
    );
    expect(Number(logged?.n)).toBe(whole.historySize);
    expect(whole.historySize).toBeLessThan(8000);
  }, 60_000);
  it('feeds only buckets below the rollup watermark, and the rest once the materialiser has passed them', async () => {
    for (const analyser of analysers) await analyser.release();
    const analyser = newAnalyser();
    await write(cpuSamples('lagging', 0, 40));
    // The materialiser lagging behind: its watermark at minute 20 of this series.
    const [saved] = await db.query<{ at: Date }>('SELECT materialised_to AS at FROM metric_rollup_watermark');
    await db.query('UPDATE metric_rollup_watermark SET materialised_to = $1', [
      new Date(START + 20 * MINUTE_MS),
    ]);
    await analyser.tick();
    expect(await cursorOf('lagging')).toBe(START + 19 * MINUTE_MS);
    await db.query('UPDATE metric_rollup_watermark SET materialised_to = $1', [saved?.at]);
    await analyser.tick();
    expect(await cursorOf('lagging')).toBe(START + 39 * MINUTE_MS);
  }, 30_000);

  it('advances many series chunk by chunk as one detector each would, and a series that cannot advance holds back no other', async () => {
    for (const analyser of analysers) await analyser.release();
    const edges = Array.from({ length: 7 }, (_, e) => `chunked-${e}`);
    // Each edge its own level and its own spike, so series mixed up in a chunk would show.
    const minuteOf = (sample: MetricSample) => Math.floor((Date.parse(sample.at) - START) / MINUTE_MS);
    await write(
      edges.flatMap((edge, e) =>
        cpuSamples(edge, 0, MINUTES).map((sample) => ({
          ...sample,
          value: minuteOf(sample) === 250 + 20 * e ? 97 : sample.value + e,
        })),
      ),
    );
    // chunked-3 fails inside a chunk of three, chunked-6 alone in the last chunk.
    const poisoned = await db.query<{ id: string }>(
      `SELECT id::text AS id FROM metric_series WHERE edge_id IN ('chunked-3', 'chunked-6') ORDER BY id`,
    );
    const poison = { on: false };
    const logged: { msg: string; seriesId?: unknown }[] = [];
    const analyser = new LiveAnalyser({
      db: failingCursorWrites(new PgDatabase(pool), () => (poison.on ? poisoned.map((row) => row.id) : [])),
      publisher,
      config,
      nowMs: () => NOW,
      seriesPerTransaction: 3,
      logger: {
        info: () => undefined,
        warn: (msg) => logged.push({ msg }),
        error: (msg, meta) => logged.push({ msg, seriesId: meta?.['seriesId'] }),
      },
    });
    analysers.push(analyser);
    expect(await analyser.tick()).toMatchObject({ series: 7, buckets: 7 * 90, failed: 0 });
    poison.on = true;
    // The chunk of chunked-3 fails after its detectors took in the pass: retried one by one from
    // the stored states, chunked-3 fails alone and the others advance. chunked-6, failing alone in
    // the last chunk, does not end the pass before it publishes either.
    expect(await analyser.tick()).toMatchObject({ series: 7, buckets: 5 * 90, failed: 2 });
    for (const { id } of poisoned)
      expect(logged).toContainEqual({ msg: 'series not advanced; the others go on', seriesId: id });
    const failing = ['chunked-3', 'chunked-6'];
    for (const edge of failing) expect(await cursorOf(edge)).toBe(START + 89 * MINUTE_MS);
    for (const edge of edges.filter((e) => !failing.includes(e)))
      expect(await cursorOf(edge)).toBe(START + 179 * MINUTE_MS);
    poison.on = false;
    for (let pass = 0; pass < 5; pass++) expect((await analyser.tick()).failed).toBe(0);
    for (const edge of edges) {
      expect(await cursorOf(edge)).toBe(START + (MINUTES - 1) * MINUTE_MS);
      const expected = await uninterrupted(edge);
      expect(expected.length).toBeGreaterThan(0);
      const found = await stored(edge);
      expect(found.map((a) => ({ bucketMs: a.bucket.getTime(), score: a.score }))).toEqual(
        expected.map((a) => ({ bucketMs: a.bucketMs, score: a.score })),
      );
    }
  }, 60_000);
});

/** The database, except that a transaction writing the cursor of a series `failing()` names fails. */
function failingCursorWrites(db: SqlDatabase, failing: () => readonly string[]): SqlDatabase {
  const guarded = (tx: SqlExecutor): SqlExecutor => ({
    query: (sql, params) => {
      const ids = params?.[0];
      const id = failing().find((one) => Array.isArray(ids) && ids.includes(one));
      if (id && sql.includes('INSERT INTO analytics_cursors'))
        return Promise.reject(new Error(`cursor of series ${id} refused by the test`));
      return tx.query(sql, params);
    },
  });
  return {
    transaction: (work) => db.transaction((tx) => work(guarded(tx))),
    session: () => db.session(),
    query: (sql, params) => db.query(sql, params),
  };
}
