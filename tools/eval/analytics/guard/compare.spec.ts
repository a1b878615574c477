import { compareFigures, describeChecks, guardPassed, type ReferenceFigure } from './compare';

const reference: ReferenceFigure[] = [
  { name: 'm4 OWA selector', value: 0.45, tolerance: 0.01, better: 'lower' },
  { name: 'nab standard live', value: 60, tolerance: 1, better: 'higher' },
];

describe('quality guard comparison', () => {
  it('passes when every figure is within its tolerance', () => {
    const checks = compareFigures({ 'm4 OWA selector': 0.459, 'nab standard live': 59.2 }, reference);
    expect(checks.map((c) => c.verdict)).toEqual(['within', 'within']);
    expect(guardPassed(checks)).toBe(true);
  });

  it('fails a figure that got worse beyond tolerance, in the direction that is worse for it', () => {
    const checks = compareFigures({ 'm4 OWA selector': 0.47, 'nab standard live': 58.5 }, reference);
    expect(checks.map((c) => c.verdict)).toEqual(['worse', 'worse']);
    expect(guardPassed(checks)).toBe(false);
    expect(describeChecks(checks)).toContain(
      'FAIL m4 OWA selector: 0.4700 (reference 0.4500 ± 0.01, +0.0200)',
    );
  });

  it('fails a figure that improved beyond tolerance, asking for the reference to be re-measured', () => {
    const checks = compareFigures({ 'm4 OWA selector': 0.42, 'nab standard live': 62 }, reference);
    expect(checks.map((c) => c.verdict)).toEqual(['better', 'better']);
    expect(guardPassed(checks)).toBe(false);
    expect(describeChecks(checks)).toContain('re-measure the reference (--update)');
  });

  it('fails a figure that was not measured or is not finite', () => {
    const checks = compareFigures({ 'm4 OWA selector': Number.NaN }, reference);
    expect(checks.map((c) => c.verdict)).toEqual(['missing', 'missing']);
    expect(guardPassed(checks)).toBe(false);
  });

  it('does not pass on an empty reference', () => {
    expect(guardPassed(compareFigures({ x: 1 }, []))).toBe(false);
  });
});
