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

export function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}
