import type { MetricsBatch } from '@kailash/contracts';
import { DEFAULT_HEALTH_RULES } from '../health/health-rules';
import type { LatestSample } from '../health/health-verdict';
import { judgeEdge, NEVER_JUDGED } from '../health/health-verdict';
import { utilisationOf } from '../health/utilisation';
import { samplesOfBatch } from '../series/batch-samples';
import { agentBatch } from '../../test/agent-batch';
import { DEFAULT_ANALYTICS_CONFIG } from './analytics.config';
import { countsAsUtilisation } from './analytics-read';
import type { SeriesStat } from './recommendations';
import { recommend } from './recommendations';

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const MINUTE = 60_000;

/** An agent on a 2-core host with a load average of 3 (runnable tasks waiting) while its cores are 40 % busy. */
const busyHostBatch = (atMs: number, cpuBusyPercent = 40): MetricsBatch =>
  agentBatch({
    edgeId: 'edge-1',
    endMs: atMs,
    process: { cpuPercent: 2, rssBytes: 1e8 },
    host: { cpuCount: 2, cpuBusyPercent, loadAverage1m: 3, memoryTotalBytes: 1000, memoryFreeBytes: 500 },
  });

/** The same host seen by an agent that predates `cpuBusyPercent`. */
function olderAgentBatch(atMs: number): MetricsBatch {
  const batch = busyHostBatch(atMs);
  delete batch.host.cpuBusyPercent;
  return batch;
}

const latestOf = (batch: MetricsBatch): LatestSample[] =>
  samplesOfBatch(batch).map((s) => ({
    metric: s.metric,
    labels: s.labels,
    value: s.value,
    atMs: Date.parse(s.at),
  }));

/** An hour of the same batch as the per-minute stats get_analytics computes, with its default config. */
function hourOfStats(batch: MetricsBatch): SeriesStat[] {
  return samplesOfBatch(batch)
    .map((s) => ({
      edgeId: s.edgeId,
      metric: s.metric,
      labels: s.labels,
      mean: s.value,
      p95: s.value,
      max: s.value,
      points: 60,
    }))
    .filter((s) => ['cpu', 'memory', 'error_rate'].includes(s.metric))
    .filter((s) => countsAsUtilisation(s, DEFAULT_ANALYTICS_CONFIG.cpuLabels));
}

describe('a host with load 3 on 2 cores and 40 % busy cores', () => {
  it('reports a cpu utilisation of 0.4 to placement, not a full (or over-full) host', () => {
    expect(utilisationOf(latestOf(busyHostBatch(T0)), T0, 2 * MINUTE)).toEqual({ cpu: 0.4, memory: 0.5 });
  });

  it('stays healthy under the default rules, however long the load lasts', () => {
    let previous = NEVER_JUDGED;
    for (let minute = 0; minute <= 10; minute++) {
      const nowMs = T0 + minute * MINUTE;
      const samples = latestOf(busyHostBatch(nowMs));
      previous = judgeEdge({
        previous,
        samples,
        rules: DEFAULT_HEALTH_RULES,
        staleMs: 2 * MINUTE,
        nowMs,
      }).verdict;
    }
    expect(previous.status).toBe('healthy');
    expect(previous.reasons).toEqual([]);
  });

  it('gets no drain or scale-up: get_analytics judges the busy share, not the load', () => {
    const stats = hourOfStats(busyHostBatch(T0));
    expect(stats.filter((s) => s.metric === 'cpu').map((s) => s.labels)).toEqual([{ scope: 'host' }]);
    const list = recommend({
      edgeId: 'edge-1',
      fromMs: T0 - 60 * MINUTE,
      toMs: T0,
      cpu: stats.filter((s) => s.metric === 'cpu'),
      memory: stats.filter((s) => s.metric === 'memory'),
      errorRate: [],
      trends: [],
      anomalies: [],
    });
    expect(list.map((r) => r.action)).toEqual([]);
  });

  it('still drains the edge once its cores are saturated', () => {
    const stats = hourOfStats(busyHostBatch(T0, 98));
    const list = recommend({
      edgeId: 'edge-1',
      fromMs: T0 - 60 * MINUTE,
      toMs: T0,
      cpu: stats.filter((s) => s.metric === 'cpu'),
      memory: [],
      errorRate: [],
      trends: [],
      anomalies: [],
    });
    expect(list.map((r) => r.action)).toEqual(['drain', 'scale-up']);
    expect(list[0]?.reason).toContain('cpu averages 98.0 %');
  });

  it('says nothing about CPU for an agent too old to send the busy share (no guess from the load)', () => {
    const batch = olderAgentBatch(T0);
    expect(utilisationOf(latestOf(batch), T0, 2 * MINUTE)).toEqual({ memory: 0.5 });
    expect(hourOfStats(batch).filter((s) => s.metric === 'cpu')).toEqual([]);
  });
});
