export type PatternKind = 'periodic' | 'spike' | 'growth' | 'level-shift' | 'imbalance' | 'trend';

/** One pattern found in a series (or a set of series), with how sure the detector is and why. */
export interface PatternFinding {
  readonly kind: PatternKind;
  /** 0..1; findings below a caller's bar can be dropped. */
  readonly confidence: number;
  readonly description: string;
  /** The numbers the decision was based on. */
  readonly evidence: Readonly<Record<string, number | readonly number[]>>;
}

/**
 * The operating point: a finding is reported (by the resource analyzer, and in the quality
 * report) when its confidence reaches this bar. docs/analytics-quality.md shows precision and
 * recall at it, and at a lower and a higher bar, against pattern strength and noise kind.
 */
export const PATTERN_CONFIDENCE_BAR = 0.5;

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}
