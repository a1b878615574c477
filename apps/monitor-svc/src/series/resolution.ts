import type { MetricQueryAggregation, MetricResolution } from '@kailash/contracts';
import { KailashError, METRIC_QUERY_SOURCES } from '@kailash/contracts';
import type { PartitionPolicy } from './partitions';
import { DEFAULT_PARTITION_POLICY } from './partitions';
import { HOUR_MS, MINUTE_MS } from './rollup';

/** What a query needs besides its request: now (for what retention still keeps) and the policy. */
export interface QueryContext {
  readonly nowMs: number;
  readonly policy: PartitionPolicy;
}

export function defaultQueryContext(): QueryContext {
  return { nowMs: Date.now(), policy: DEFAULT_PARTITION_POLICY };
}

/** The table a resolution reads, aliased `x`, its time column and its "has samples" condition. */
export const RESOLUTION_SOURCE: Record<
  MetricResolution,
  { readonly table: string; readonly time: string; readonly present: string }
> = {
  raw: { table: 'metric_samples', time: 'x.at', present: 'TRUE' },
  '1m': { table: 'metric_rollups_1m', time: 'x.bucket', present: 'x.count > 0' },
  '1h': { table: 'metric_rollups_1h', time: 'x.bucket', present: 'x.count > 0' },
};

/** The bucket width of each rollup table (raw has none). */
export const ROLLUP_WIDTH_MS: Readonly<Record<MetricResolution, number | undefined>> = {
  raw: undefined,
  '1m': MINUTE_MS,
  '1h': HOUR_MS,
};
const WIDTH_MS = { '1m': MINUTE_MS, '1h': HOUR_MS } as const;
const ORDER: readonly MetricResolution[] = ['raw', '1m', '1h'];

const fits = (level: '1m' | '1h', fromMs: number, stepMs: number) =>
  stepMs % WIDTH_MS[level] === 0 && fromMs % WIDTH_MS[level] === 0;

function notAligned(level: string): KailashError {
  const message = `${level} rollups need a step of whole ${level === '1h' ? 'hours' : 'minutes'} and from on such a boundary`;
  return new KailashError('VALIDATION_FAILED', `invalid query: stepMs: ${message}`, {
    issues: [{ field: 'stepMs', message }],
  });
}

/**
 * The table that answers a query. auto takes the coarsest resolution whose buckets tile the
 * step from `from` (fewest rows read, same answer), but never one finer than what retention
 * still keeps at `from`: a range older than RETENTION_RAW reads 1-minute rollups, older than
 * RETENTION_1M the 1-hour ones.
 */
export function chooseResolution(
  query: {
    readonly from: string;
    readonly stepMs: number;
    readonly source?: (typeof METRIC_QUERY_SOURCES)[number];
  },
  context: QueryContext,
): MetricResolution {
  const fromMs = Date.parse(query.from);
  const fit: MetricResolution = fits('1h', fromMs, query.stepMs)
    ? '1h'
    : fits('1m', fromMs, query.stepMs)
      ? '1m'
      : 'raw';
  switch (query.source ?? 'auto') {
    case 'raw':
      return 'raw';
    case 'rollup_1m':
      if (!fits('1m', fromMs, query.stepMs)) throw notAligned('1m');
      return '1m';
    case 'rollup_1h':
      if (!fits('1h', fromMs, query.stepMs)) throw notAligned('1h');
      return '1h';
    case 'rollup':
      if (fit === 'raw') throw notAligned('1m');
      return fit;
    default: {
      const age = context.nowMs - fromMs;
      const { retentionMs, rollupRetentionMs } = context.policy;
      const kept: MetricResolution = age <= retentionMs ? 'raw' : age <= rollupRetentionMs ? '1m' : '1h';
      return ORDER[Math.max(ORDER.indexOf(fit), ORDER.indexOf(kept))] as MetricResolution;
    }
  }
}

export const QUANTILES: Partial<Record<MetricQueryAggregation, number>> = { p50: 0.5, p95: 0.95, p99: 0.99 };
