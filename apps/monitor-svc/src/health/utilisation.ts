import type { LatestSample } from './health-verdict';
import { labelsMatch } from './health-rules';
import { HOST_CPU_LABELS, isPercentSeries } from './metric-units';

/**
 * Where each resource's utilisation is read from: a percentage series of the edge. The agents'
 * batches give `cpu{scope=host}` (busy share of all cores) and `memory{scope=host_percent}`; a
 * storage share comes only from `storage{scope=used_percent}` samples recorded with record_metric.
 * A matching series whose unit is not a percentage (metric-units.ts) is never read.
 */
const SOURCES = {
  cpu: { metric: 'cpu', labels: HOST_CPU_LABELS },
  memory: { metric: 'memory', labels: { scope: 'host_percent' } },
  storage: { metric: 'storage', labels: { scope: 'used_percent' } },
} as const;

export type Utilisation = Partial<Record<keyof typeof SOURCES, number>>;

/** Fractions (0-1, clamped) of the resources with a fresh sample; the highest series wins. */
export function utilisationOf(samples: readonly LatestSample[], nowMs: number, staleMs: number): Utilisation {
  const result: Utilisation = {};
  for (const [resource, source] of Object.entries(SOURCES) as [
    keyof typeof SOURCES,
    (typeof SOURCES)['cpu'],
  ][]) {
    const values = samples
      .filter(
        (s) =>
          nowMs - s.atMs <= staleMs &&
          s.metric === source.metric &&
          labelsMatch(source.labels, s.labels) &&
          isPercentSeries(s),
      )
      .map((s) => s.value);
    if (values.length > 0) result[resource] = Math.min(1, Math.max(0, Math.max(...values) / 100));
  }
  return result;
}
