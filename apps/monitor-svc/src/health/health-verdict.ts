import type { HealthReason, HealthStatus } from '@kailash/contracts';
import type { HealthRule } from './health-rules';
import { breaches, labelsMatch, worstOf } from './health-rules';

/** A series' latest sample, as `metric_series` keeps it. */
export interface LatestSample {
  readonly metric: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
  readonly atMs: number;
}

/**
 * One threshold of one rule, followed over evaluations: since when the value has been across it
 * (`over`) or back on the good side (`under`) without interruption, and whether the level is in
 * force. It comes into force after `forMs` over, and out of it after `forMs` under.
 */
export interface LevelTrack {
  readonly active: boolean;
  /** When the breach that brought it into force began (kept while it stays in force). */
  readonly activeSince?: number;
  readonly over?: number;
  readonly under?: number;
}

export interface RuleTrack {
  readonly degraded: LevelTrack;
  readonly unhealthy: LevelTrack;
  readonly value?: number;
}

/** What is kept of an edge between evaluations (and across restarts, in `edge_health`). */
export interface EdgeVerdict {
  readonly status: HealthStatus;
  readonly sinceMs: number;
  /** How many times the status changed: the n-th change is published as event n. */
  readonly change: number;
  readonly rules: Readonly<Record<string, RuleTrack>>;
  readonly reasons: readonly HealthReason[];
  readonly lastSampleMs: number | null;
}

/** An edge never judged: unknown, no change yet. */
export const NEVER_JUDGED: EdgeVerdict = {
  status: 'unknown',
  sinceMs: 0,
  change: 0,
  rules: {},
  reasons: [],
  lastSampleMs: null,
};

const IDLE: LevelTrack = { active: false };

function followLevel(track: LevelTrack, over: boolean, nowMs: number, forMs: number): LevelTrack {
  if (over) {
    const start = track.over ?? nowMs;
    if (track.active) return { active: true, activeSince: track.activeSince ?? start, over: start };
    return nowMs - start >= forMs
      ? { active: true, activeSince: start, over: start }
      : { active: false, over: start };
  }
  const start = track.under ?? nowMs;
  if (!track.active || nowMs - start >= forMs) return { active: false, under: start };
  return {
    active: true,
    ...(track.activeSince === undefined ? {} : { activeSince: track.activeSince }),
    under: start,
  };
}

/** One rule over the edge's fresh samples; no matching sample resets it (nothing to judge by). */
export function followRule(
  rule: HealthRule,
  track: RuleTrack | undefined,
  fresh: readonly LatestSample[],
  nowMs: number,
): RuleTrack | undefined {
  const values = fresh.filter((s) => s.metric === rule.metric && labelsMatch(rule.labels, s.labels));
  const value = worstOf(
    rule,
    values.map((s) => s.value),
  );
  if (value === undefined) return undefined;
  return {
    degraded: followLevel(track?.degraded ?? IDLE, breaches(rule, value, rule.degraded), nowMs, rule.forMs),
    unhealthy: followLevel(
      track?.unhealthy ?? IDLE,
      breaches(rule, value, rule.unhealthy),
      nowMs,
      rule.forMs,
    ),
    value,
  };
}

function reasonOf(rule: HealthRule, track: RuleTrack): HealthReason | undefined {
  const level = track.unhealthy.active ? 'unhealthy' : track.degraded.active ? 'degraded' : undefined;
  if (!level || track.value === undefined) return undefined;
  const since = track[level].activeSince ?? 0;
  return {
    rule: rule.name,
    metric: rule.metric,
    labels: { ...rule.labels },
    level,
    value: track.value,
    threshold: rule[level],
    comparison: rule.comparison,
    since: new Date(since).toISOString(),
  };
}

export interface JudgeInput {
  readonly previous: EdgeVerdict;
  readonly samples: readonly LatestSample[];
  readonly rules: readonly HealthRule[];
  readonly staleMs: number;
  readonly nowMs: number;
}

/** The edge's verdict now; `changed` when its status differs from the previous one. */
export function judgeEdge(input: JudgeInput): { verdict: EdgeVerdict; changed: boolean } {
  const { previous, samples, rules, staleMs, nowMs } = input;
  const lastSampleMs = samples.reduce<number | null>((latest, s) => Math.max(latest ?? s.atMs, s.atMs), null);
  const judged = isStale(lastSampleMs, nowMs, staleMs)
    ? staleVerdict(lastSampleMs, nowMs, staleMs)
    : freshVerdict(rules, previous, samples, nowMs, staleMs);
  const changed = judged.status !== previous.status;
  const verdict: EdgeVerdict = {
    ...judged,
    lastSampleMs,
    sinceMs: changed ? nowMs : previous.sinceMs,
    change: changed ? previous.change + 1 : previous.change,
  };
  return { verdict, changed };
}

function isStale(lastSampleMs: number | null, nowMs: number, staleMs: number): boolean {
  return lastSampleMs === null || nowMs - lastSampleMs > staleMs;
}

type Judged = Pick<EdgeVerdict, 'status' | 'rules' | 'reasons'>;

function staleVerdict(lastSampleMs: number | null, nowMs: number, staleMs: number): Judged {
  const reason: HealthReason = {
    rule: 'stale',
    metric: 'any',
    labels: {},
    level: 'unknown',
    value: lastSampleMs === null ? staleMs : nowMs - lastSampleMs,
    threshold: staleMs,
    comparison: 'stale',
    since: new Date(lastSampleMs ?? nowMs).toISOString(),
  };
  // Rule tracks start over: a breach must be seen afresh for its whole duration once samples return.
  return { status: 'unknown', rules: {}, reasons: [reason] };
}

function freshVerdict(
  rules: readonly HealthRule[],
  previous: EdgeVerdict,
  samples: readonly LatestSample[],
  nowMs: number,
  staleMs: number,
): Judged {
  const fresh = samples.filter((s) => nowMs - s.atMs <= staleMs);
  const tracks: Record<string, RuleTrack> = {};
  const reasons: HealthReason[] = [];
  for (const rule of rules) {
    const track = followRule(rule, previous.rules[rule.name], fresh, nowMs);
    if (!track) continue;
    tracks[rule.name] = track;
    const reason = reasonOf(rule, track);
    if (reason) reasons.push(reason);
  }
  const status: HealthStatus = reasons.some((r) => r.level === 'unhealthy')
    ? 'unhealthy'
    : reasons.length > 0
      ? 'degraded'
      : 'healthy';
  return { status, rules: tracks, reasons };
}
