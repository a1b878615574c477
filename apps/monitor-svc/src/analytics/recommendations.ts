import type { Anomaly, HealthReason, Recommendation, SeriesTrend } from '@kailash/contracts';
import { RECOMMENDATION_SEVERITIES } from '@kailash/contracts';
import { isPercentSeries } from '../health/metric-units';

/**
 * Where each rule draws its line (percent of capacity, or a share for error_rate). The CPU and
 * memory lines are percentages, so only series whose unit is a percentage are held to them.
 */
export const RULES = {
  /** Mean CPU or memory at or above this over the window: the edge is saturated, move work off it. */
  drainMean: 95,
  /** p95 of the per-minute CPU mean at or above this: it needs more capacity. */
  cpuScaleUpP95: 85,
  memoryScaleUpP95: 90,
  /** A forecast at or above this within the horizon: it will need more capacity. */
  forecastScaleUp: 90,
  /** Mean error rate at or above this (5 %): something is failing. */
  errorRate: 0.05,
  /** p95 CPU at or below this and memory p95 at or below `rightSizeMemory`: capacity is idle. */
  rightSizeCpu: 20,
  rightSizeMemory: 40,
  /** Per-minute points a right-size verdict needs (half an hour of data). */
  rightSizeMinPoints: 30,
} as const;

/** Measured utilisation of one series over the window, from its per-minute means. */
export interface SeriesStat {
  readonly edgeId: string;
  readonly metric: string;
  readonly labels: Record<string, string>;
  readonly mean: number;
  readonly p95: number;
  readonly max: number;
  readonly points: number;
}

export interface EdgeEvidence {
  readonly edgeId: string;
  readonly fromMs: number;
  readonly toMs: number;
  /** CPU and memory series; only those whose unit is a percentage are judged. */
  readonly cpu: readonly SeriesStat[];
  readonly memory: readonly SeriesStat[];
  readonly errorRate: readonly SeriesStat[];
  readonly trends: readonly SeriesTrend[];
  readonly anomalies: readonly Anomaly[];
  /** The edge's health verdict, when monitor-svc has one. */
  readonly health?: EdgeHealthInput;
}

export interface EdgeHealthInput {
  readonly status: string;
  readonly reason?: string | undefined;
  /** The rules that made the verdict, as evidence. */
  readonly reasons?: readonly HealthReason[];
  readonly sinceMs?: number;
}

type Evidence = Recommendation['evidence'][number];
const clamp01 = (x: number) => Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
const pct = (x: number) => `${x.toFixed(1)} %`;

/**
 * What to do with one edge and why; empty when nothing needs doing. CPU and memory series (and
 * their trends) that are not percentages (metric-units.ts) are set aside first: a load average of
 * 1.5 per core is not a CPU at 150 %.
 */
export function recommend(evidence: EdgeEvidence): Recommendation[] {
  const edge = percentagesOnly(evidence);
  const found = [...saturation(edge), ...growth(edge), ...failures(edge), ...idle(edge)];
  return rankRecommendations(found);
}

function percentagesOnly(edge: EdgeEvidence): EdgeEvidence {
  return {
    ...edge,
    cpu: edge.cpu.filter(isPercentSeries),
    memory: edge.memory.filter(isPercentSeries),
    trends: edge.trends.filter(isPercentSeries),
  };
}

/** Most urgent first: severity, then impact, then edge id (stable). */
export function rankRecommendations(list: readonly Recommendation[]): Recommendation[] {
  const order = (r: Recommendation) => RECOMMENDATION_SEVERITIES.indexOf(r.severity);
  return [...list].sort(
    (a, b) => order(a) - order(b) || b.impact - a.impact || a.edgeId.localeCompare(b.edgeId),
  );
}

function evidenceOf(
  edge: EdgeEvidence,
  stat: SeriesStat,
  measure: 'mean' | 'p95',
  threshold: number,
): Evidence {
  return {
    metric: stat.metric,
    labels: stat.labels,
    measure: `${measure} of per-minute means`,
    value: stat[measure],
    threshold,
    from: new Date(edge.fromMs).toISOString(),
    to: new Date(edge.toMs).toISOString(),
  };
}

const busiest = (stats: readonly SeriesStat[], measure: 'mean' | 'p95') =>
  [...stats].sort((a, b) => b[measure] - a[measure])[0];

function saturation(edge: EdgeEvidence): Recommendation[] {
  const out: Recommendation[] = [];
  const saturated = [busiest(edge.cpu, 'mean'), busiest(edge.memory, 'mean')].filter(
    (s): s is SeriesStat => s !== undefined && s.mean >= RULES.drainMean,
  );
  if (saturated.length > 0 || edge.health?.status === 'unhealthy') {
    const named = saturated.map((s) => `${s.metric} averages ${pct(s.mean)}`);
    if (edge.health?.status === 'unhealthy')
      named.push(`health is unhealthy (${edge.health.reason ?? 'no reason given'})`);
    out.push({
      edgeId: edge.edgeId,
      action: 'drain',
      severity: 'critical',
      impact: clamp01(
        Math.max(0, ...saturated.map((s) => (s.mean - RULES.drainMean) / (100 - RULES.drainMean))) + 0.5,
      ),
      reason: `${named.join(' and ')}: the edge has no headroom left; move workloads off it before requests queue or fail`,
      evidence: [
        ...saturated.map((s) => evidenceOf(edge, s, 'mean', RULES.drainMean)),
        ...(edge.health?.status === 'unhealthy' ? healthEvidence(edge) : []),
      ],
    });
  }
  const cpu = busiest(edge.cpu, 'p95');
  const memory = busiest(edge.memory, 'p95');
  const tight: { stat: SeriesStat; line: number }[] = [];
  if (cpu && cpu.p95 >= RULES.cpuScaleUpP95) tight.push({ stat: cpu, line: RULES.cpuScaleUpP95 });
  if (memory && memory.p95 >= RULES.memoryScaleUpP95)
    tight.push({ stat: memory, line: RULES.memoryScaleUpP95 });
  if (tight.length > 0)
    out.push({
      edgeId: edge.edgeId,
      action: 'scale-up',
      severity: 'high',
      impact: clamp01(Math.max(...tight.map(({ stat, line }) => (stat.p95 - line) / (100 - line)))),
      reason: `${tight.map(({ stat, line }) => `${stat.metric} p95 ${pct(stat.p95)} ≥ ${pct(line)}`).join(' and ')}: add capacity (more CPU/memory or another replica of its workloads)`,
      evidence: tight.map(({ stat, line }) => evidenceOf(edge, stat, 'p95', line)),
    });
  return out;
}

function growth(edge: EdgeEvidence): Recommendation[] {
  const rising = edge.trends.filter(
    (t) =>
      (t.metric === 'cpu' || t.metric === 'memory') &&
      t.last < RULES.forecastScaleUp &&
      t.forecast.value >= RULES.forecastScaleUp &&
      t.slopePerHour.lower > 0,
  );
  return rising.map((t) => ({
    edgeId: edge.edgeId,
    action: 'scale-up' as const,
    severity: 'medium' as const,
    impact: clamp01((t.forecast.value - RULES.forecastScaleUp) / (100 - RULES.forecastScaleUp)),
    reason: `${t.metric} rises ${t.slopePerHour.value.toFixed(2)}/h (95 % CI ${t.slopePerHour.lower.toFixed(2)}–${t.slopePerHour.upper.toFixed(2)}) and is forecast at ${pct(t.forecast.value)} by ${t.forecast.at} (${t.forecast.model}): add capacity before it gets there`,
    evidence: [
      {
        metric: t.metric,
        labels: t.labels,
        measure: 'forecast',
        value: t.forecast.value,
        threshold: RULES.forecastScaleUp,
        from: t.from,
        to: t.forecast.at,
      },
    ],
  }));
}

function failures(edge: EdgeEvidence): Recommendation[] {
  const out: Recommendation[] = [];
  const errors = busiest(edge.errorRate, 'mean');
  if (errors && errors.mean >= RULES.errorRate)
    out.push({
      edgeId: edge.edgeId,
      action: 'investigate',
      severity: 'high',
      impact: clamp01(errors.mean),
      reason: `error rate averages ${pct(errors.mean * 100)} (≥ ${pct(RULES.errorRate * 100)}) for ${JSON.stringify(errors.labels)}: look at the workload's logs and recent changes`,
      evidence: [evidenceOf(edge, errors, 'mean', RULES.errorRate)],
    });
  const byMetric = new Map<string, Anomaly[]>();
  for (const a of edge.anomalies) byMetric.set(a.metric, [...(byMetric.get(a.metric) ?? []), a]);
  for (const [metric, anomalies] of byMetric) {
    const worst = anomalies.reduce((a, b) => (b.score > a.score ? b : a));
    out.push({
      edgeId: edge.edgeId,
      action: 'investigate',
      severity: 'medium',
      impact: clamp01(worst.score),
      reason: `${anomalies.length} anomal${anomalies.length === 1 ? 'y' : 'ies'} in ${metric}, the strongest at ${worst.bucket} (value ${worst.value.toPrecision(4)}, score ${worst.score.toFixed(2)}): behaviour the detector had not seen before`,
      evidence: anomalies.slice(0, 10).map((a) => ({
        metric: a.metric,
        labels: a.labels,
        measure: 'anomalous minute mean',
        value: a.value,
        from: a.bucket,
        to: new Date(Date.parse(a.bucket) + 60_000).toISOString(),
      })),
    });
  }
  if (edge.health?.status === 'degraded')
    out.push({
      edgeId: edge.edgeId,
      action: 'investigate',
      severity: 'medium',
      impact: 0.5,
      reason: `health is degraded (${edge.health.reason ?? 'no reason given'})`,
      evidence: [],
    });
  return out;
}

function idle(edge: EdgeEvidence): Recommendation[] {
  const cpu = busiest(edge.cpu, 'p95');
  const memory = busiest(edge.memory, 'p95');
  if (!cpu || cpu.points < RULES.rightSizeMinPoints || cpu.p95 > RULES.rightSizeCpu) return [];
  if (memory && memory.p95 > RULES.rightSizeMemory) return [];
  if (edge.anomalies.length > 0) return [];
  const evidence = [evidenceOf(edge, cpu, 'p95', RULES.rightSizeCpu)];
  if (memory) evidence.push(evidenceOf(edge, memory, 'p95', RULES.rightSizeMemory));
  return [
    {
      edgeId: edge.edgeId,
      action: 'right-size',
      severity: 'low',
      impact: clamp01((RULES.rightSizeCpu - cpu.p95) / RULES.rightSizeCpu),
      reason: `cpu p95 ${pct(cpu.p95)} ≤ ${pct(RULES.rightSizeCpu)}${memory ? ` and memory p95 ${pct(memory.p95)} ≤ ${pct(RULES.rightSizeMemory)}` : ''} over ${cpu.points} minutes: the edge is mostly idle; give it less capacity or place more work on it`,
      evidence,
    },
  ];
}

/** The health rules behind a verdict, each from when it first crossed its threshold until now. */
function healthEvidence(edge: EdgeEvidence): Evidence[] {
  return (edge.health?.reasons ?? []).map((r) => ({
    metric: r.metric,
    labels: r.labels,
    measure: `health rule ${r.rule} (${r.comparison})`,
    value: r.value,
    threshold: r.threshold,
    from: r.since,
    to: new Date(edge.toMs).toISOString(),
  }));
}
