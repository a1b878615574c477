import { measureQuery, seedRollups } from './queries';
import { openMonitorBench } from './setup';

async function main(): Promise<void> {
  const env = await openMonitorBench();
  try {
    const nowMs = Date.now();
    await seedRollups(env.db, nowMs);
    for (const spec of [
      { name: '24h 1m avg', rangeMs: 86_400_000, stepMs: 60_000, aggregation: 'avg' as const, runs: 100 },
      { name: '24h 1m p95', rangeMs: 86_400_000, stepMs: 60_000, aggregation: 'p95' as const, runs: 100 },
      { name: '30d 1h avg', rangeMs: 30 * 86_400_000, stepMs: 3_600_000, aggregation: 'avg' as const, runs: 100 },
      { name: '30d 1h p95', rangeMs: 30 * 86_400_000, stepMs: 3_600_000, aggregation: 'p95' as const, runs: 100 },
    ])
      console.log(await measureQuery(env.db, env.policy, nowMs, spec));
    if (process.env['EXPLAIN']) {
      const rows = await env.db.query(process.env['EXPLAIN'] as string);
      for (const r of rows) console.log(Object.values(r as object)[0]);
    }
  } finally {
    await env.close();
  }
}
main().then(() => process.exit(0), (e) => { console.error(e); process.exit(1); });
