import type { Figures } from './figures';

/** One committed reference figure: the value measured on the sample and how far it may move. */
export interface ReferenceFigure {
  readonly name: string;
  readonly value: number;
  readonly tolerance: number;
  /** Which way is an improvement: OWA and MASE are better lower, NAB scores higher. */
  readonly better: 'lower' | 'higher';
}

export interface FigureCheck {
  readonly name: string;
  readonly reference: number;
  readonly measured: number;
  readonly tolerance: number;
  readonly verdict: 'within' | 'worse' | 'better' | 'missing';
}

/**
 * Compares measured figures with the reference. A figure moving beyond its tolerance fails either
 * way: worse is a regression; better means the reference is stale and must be re-measured and
 * committed, so that the next regression is measured from the new level.
 */
export function compareFigures(measured: Figures, reference: readonly ReferenceFigure[]): FigureCheck[] {
  return reference.map(({ name, value, tolerance, better }) => {
    const got = measured[name];
    if (got === undefined || !Number.isFinite(got))
      return { name, reference: value, measured: got ?? Number.NaN, tolerance, verdict: 'missing' };
    const delta = got - value;
    const improved = better === 'lower' ? delta < 0 : delta > 0;
    const verdict = Math.abs(delta) <= tolerance ? 'within' : improved ? 'better' : 'worse';
    return { name, reference: value, measured: got, tolerance, verdict };
  });
}

export function guardPassed(checks: readonly FigureCheck[]): boolean {
  return checks.length > 0 && checks.every((c) => c.verdict === 'within');
}

/** One line per figure, the failing ones marked. */
export function describeChecks(checks: readonly FigureCheck[]): string {
  return checks
    .map((c) => {
      const mark = c.verdict === 'within' ? 'ok  ' : 'FAIL';
      const delta = c.measured - c.reference;
      const moved = Number.isFinite(delta) ? `${delta >= 0 ? '+' : ''}${delta.toFixed(4)}` : 'n/a';
      const note =
        c.verdict === 'worse'
          ? ' — worse than the reference beyond tolerance'
          : c.verdict === 'better'
            ? ' — better beyond tolerance: re-measure the reference (--update) and commit it'
            : c.verdict === 'missing'
              ? ' — not measured'
              : '';
      return `${mark} ${c.name}: ${c.measured.toFixed(4)} (reference ${c.reference.toFixed(4)} ± ${c.tolerance}, ${moved})${note}`;
    })
    .join('\n');
}
