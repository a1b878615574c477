/**
 * What the value of each known series means, in one place. Whatever judges a value against a
 * percentage line (the utilisation reported to placement, the analytics recommendations) asks
 * here first, so a series that is not a percentage (a load average, bytes, a ratio) cannot be
 * read as one. A series is found by its metric and its `scope` label (none: no scope label).
 */

/** The agents' host CPU series, busy share of all cores: the default of health, placement and analytics. */
export const HOST_CPU_LABELS: Readonly<Record<string, string>> = { scope: 'host' };

export type MetricUnit =
  /** 0–100 share of a capacity, named by `of`. */
  | 'percent'
  /** 0–1 share. */
  | 'ratio'
  | 'bytes'
  | 'ms'
  | 'per_second'
  /** Runnable tasks per core: 1 is a full host, above it tasks wait; no upper bound. */
  | 'tasks_per_core'
  /** Stored by earlier versions: 100 × load average ÷ cores. Looks like a percentage and is not one. */
  | 'legacy_load_x100';

export interface MetricUnitEntry {
  readonly metric: string;
  /** The `scope` label the series carries; undefined: the series has no scope label. */
  readonly scope?: string;
  readonly unit: MetricUnit;
  /** For percentages: the capacity the share is of. */
  readonly of?: string;
}

export const METRIC_UNITS: readonly MetricUnitEntry[] = [
  { metric: 'cpu', scope: 'host', unit: 'percent', of: 'all cores of the host (busy time)' },
  {
    metric: 'cpu',
    scope: 'process',
    unit: 'percent',
    of: "one core: the agent's event loop (worker threads can take it past 100)",
  },
  { metric: 'cpu', scope: 'host_load', unit: 'legacy_load_x100' },
  { metric: 'cpu', unit: 'percent', of: 'the edge (a custom gauge recorded with record_metric)' },
  { metric: 'load', scope: 'host_1m_per_core', unit: 'tasks_per_core' },
  { metric: 'memory', scope: 'host_percent', unit: 'percent', of: "the host's memory in use" },
  { metric: 'memory', scope: 'process', unit: 'bytes' },
  { metric: 'memory', unit: 'percent', of: 'the edge (a custom gauge recorded with record_metric)' },
  { metric: 'storage', scope: 'used_percent', unit: 'percent', of: 'the edge storage in use' },
  { metric: 'storage', scope: 'data_dir', unit: 'bytes' },
  { metric: 'throughput', unit: 'per_second' },
  { metric: 'error_rate', unit: 'ratio' },
  { metric: 'cache_hit_rate', unit: 'ratio' },
  { metric: 'availability', unit: 'ratio' },
  { metric: 'latency', unit: 'ms' },
];

/** The unit of a series, or undefined for a series this table does not know. */
export function unitOf(metric: string, labels: Readonly<Record<string, string>>): MetricUnit | undefined {
  const scope = labels['scope'];
  return METRIC_UNITS.find((entry) => entry.metric === metric && entry.scope === scope)?.unit;
}

/** Whether a series' values are 0–100 shares that may be judged against percentage lines. */
export function isPercentSeries(series: {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
}): boolean {
  return unitOf(series.metric, series.labels) === 'percent';
}
