import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PgDatabase } from '@kailash/backbone';
import type { MetricSample } from '@kailash/contracts';
import type { TestDatabase } from '@kailash/testing';
import { createTestDatabase } from '@kailash/testing';
import { load } from 'js-yaml';
import { DataSource } from 'typeorm';
import { monitorMigrations } from '../migrations';
import { createPartitions, DEFAULT_PARTITION_POLICY } from './partitions';
import { writeSamples } from './sample-writer';

const GRAFANA = join(__dirname, '..', '..', '..', '..', 'deploy', 'grafana');

interface Panel {
  readonly type: string;
  readonly title: string;
  readonly datasource?: { uid: string };
  readonly targets?: { rawSql: string; format: string }[];
}
const dashboard = JSON.parse(readFileSync(join(GRAFANA, 'dashboards', 'monitor.json'), 'utf8')) as {
  uid: string;
  panels: Panel[];
  templating: { list: { name: string; query: string; datasource: { uid: string } }[] };
};
const datasources = load(
  readFileSync(join(GRAFANA, 'provisioning', 'datasources', 'monitor-postgres.yaml'), 'utf8'),
) as { datasources: { uid: string; jsonData: { database: string } }[] };
const queryPanels = dashboard.panels.filter((panel) => panel.type !== 'row');

/** Grafana's PostgreSQL macros and the dashboard's variable, expanded as Grafana expands them. */
function expand(sql: string, fromMs: number, toMs: number, intervalS: number, edges: string[]): string {
  const [from, to] = [new Date(fromMs).toISOString(), new Date(toMs).toISOString()];
  const expanded = sql
    .replace(
      /\$__timeGroupAlias\(([^,]+),\s*\$__interval\)/g,
      (_, column: string) => `floor(extract(epoch from ${column})/${intervalS})*${intervalS} AS "time"`,
    )
    .replace(/\$__timeFilter\(([^)]+)\)/g, (_, column: string) => `${column} BETWEEN '${from}' AND '${to}'`)
    .replace(/\$__timeFrom\(\)/g, `'${from}'`)
    .replace(/\$__timeTo\(\)/g, `'${to}'`)
    .replace(/\$edge\b/g, edges.map((edge) => `'${edge}'`).join(','));
  expect(expanded).not.toContain('$'); // every macro the dashboard uses is one this test knows
  return expanded;
}

/** The samples an agent's batches become (see batch-samples.ts), for two edges over 3 days. */
function agentLikeSamples(nowMs: number): MetricSample[] {
  const samples: MetricSample[] = [];
  for (const edgeId of ['edge-1', 'edge-2'])
    for (let at = nowMs - 3 * 86_400_000; at < nowMs; at += 20 * 60_000) {
      const s = (metric: string, value: number, labels: Record<string, string>) =>
        samples.push({ edgeId, metric, labels, value, at: new Date(at).toISOString() });
      s('cpu', 40, { scope: 'process' });
      s('cpu', 55, { scope: 'host_load' });
      s('memory', 2e8, { scope: 'process' });
      s('memory', 61, { scope: 'host_percent' });
      s('storage', 5e9, { scope: 'data_dir' });
      const workload = { workload: 'w1', kind: 'function' };
      s('throughput', 120, workload);
      s('error_rate', 0.01, workload);
      s('cache_hit_rate', 0.9, workload);
      s('latency', 12, workload);
    }
  return samples;
}

describe('Grafana dashboard (deploy/grafana) against a migrated database', () => {
  let database: TestDatabase;
  let db: PgDatabase;
  const nowMs = Date.now();

  beforeAll(async () => {
    database = await createTestDatabase('monitor_grafana');
    const dataSource = await new DataSource({
      type: 'postgres',
      url: database.url,
      migrations: monitorMigrations,
    }).initialize();
    try {
      await dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await dataSource.destroy();
    }
    db = new PgDatabase(database.pool);
    await createPartitions(db, DEFAULT_PARTITION_POLICY, nowMs);
    const samples = agentLikeSamples(nowMs);
    for (let i = 0; i < samples.length; i += 1000)
      await db.transaction((tx) => writeSamples(tx, samples.slice(i, i + 1000)));
    // Two verdicts in the health slice's table, as its evaluator writes them.
    await db.query(
      `INSERT INTO edge_health (edge_id, status, since, change, rules, reasons, last_sample_at, evaluated_at)
       VALUES ('edge-1', 'healthy', now(), 1, '{}', '[]', now(), now()),
              ('edge-2', 'degraded', now(), 2, '{}', '[{"rule": "cpu", "value": 85}]', now(), now())`,
    );
  }, 60_000);
  afterAll(() => database?.drop());

  it('reads monitor-svc’s database through the provisioned data source', () => {
    expect(datasources.datasources[0]?.jsonData.database).toBe('kailash_monitor');
    const uid = datasources.datasources[0]?.uid;
    for (const panel of queryPanels) expect([panel.title, panel.datasource?.uid]).toEqual([panel.title, uid]);
    expect(dashboard.templating.list.every((variable) => variable.datasource.uid === uid)).toBe(true);
  });

  it('has a panel per well-known agent metric, a fleet summary and the edges’ health', () => {
    const sql = queryPanels
      .flatMap((panel) => panel.targets ?? [])
      .map((target) => target.rawSql)
      .join('\n');
    for (const metric of [
      'cpu',
      'memory',
      'storage',
      'throughput',
      'error_rate',
      'latency',
      'cache_hit_rate',
    ])
      expect(sql).toContain(`s.metric = '${metric}'`);
    expect(queryPanels.map((panel) => panel.title)).toEqual(
      expect.arrayContaining(['Fleet summary over the range', 'Edge health and its reasons']),
    );
  });

  it('offers the edges that have series as the edge variable', async () => {
    const variable = dashboard.templating.list.find((entry) => entry.name === 'edge');
    const rows = await db.query<{ edge_id: string }>(variable?.query ?? '');
    expect(rows.map((row) => row.edge_id)).toEqual(['edge-1', 'edge-2']);
  });

  // 6 h reads the 1-minute rollups, 3 days the 1-hour ones: every panel answers from both.
  it.each([
    ['6 h', 6 * 3600_000, 60],
    ['3 days', 3 * 86_400_000, 3600],
  ])('every panel’s SQL runs and returns rows over %s', async (_, rangeMs, intervalS) => {
    for (const panel of queryPanels)
      for (const target of panel.targets ?? []) {
        const sql = expand(target.rawSql, nowMs - rangeMs, nowMs, intervalS, ['edge-1', 'edge-2']);
        const rows = await db.query<Record<string, unknown>>(sql).catch((error: Error) => {
          throw new Error(`${panel.title}: ${error.message}`);
        });
        expect([panel.title, rows.length > 0]).toEqual([panel.title, true]);
        if (target.format === 'time_series')
          expect([panel.title, Object.keys(rows[0] ?? {})]).toEqual([
            panel.title,
            ['time', 'metric', 'value'],
          ]);
      }
  });
});
