/** Nelder–Mead simplex minimiser for a handful of parameters (the smoothing models have at most four). */
export function nelderMead(
  objective: (x: number[]) => number,
  start: number[],
  options: { step?: number; maxIterations?: number; tolerance?: number } = {},
): { x: number[]; value: number } {
  const { step = 0.5, maxIterations = 200, tolerance = 1e-7 } = options;
  const n = start.length;
  let simplex = [start, ...start.map((_, i) => start.map((v, j) => (i === j ? v + step : v)))].map((x) => ({
    x,
    value: safe(objective(x)),
  }));
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    simplex.sort((a, b) => a.value - b.value);
    const best = simplex[0]!;
    const worst = simplex[n]!;
    if (Math.abs(worst.value - best.value) <= tolerance * (Math.abs(best.value) + tolerance)) break;
    const centroid = start.map((_, j) => simplex.slice(0, n).reduce((sum, p) => sum + p.x[j]!, 0) / n);
    const along = (t: number) => centroid.map((c, j) => c + t * (worst.x[j]! - c));
    const reflected = { x: along(-1), value: 0 };
    reflected.value = safe(objective(reflected.x));
    if (reflected.value < best.value) {
      const expanded = { x: along(-2), value: 0 };
      expanded.value = safe(objective(expanded.x));
      simplex[n] = expanded.value < reflected.value ? expanded : reflected;
    } else if (reflected.value < simplex[n - 1]!.value) {
      simplex[n] = reflected;
    } else {
      const contracted = { x: along(0.5), value: 0 };
      contracted.value = safe(objective(contracted.x));
      if (contracted.value < worst.value) simplex[n] = contracted;
      else
        simplex = simplex
          .map((p, i) =>
            i === 0 ? p : { x: p.x.map((v, j) => best.x[j]! + 0.5 * (v - best.x[j]!)), value: 0 },
          )
          .map((p, i) => (i === 0 ? p : { x: p.x, value: safe(objective(p.x)) }));
    }
  }
  simplex.sort((a, b) => a.value - b.value);
  return simplex[0]!;
}

function safe(value: number): number {
  return Number.isFinite(value) ? value : Number.MAX_VALUE;
}

/** Maps an unconstrained value into (low, high). */
export function squash(x: number, low: number, high: number): number {
  return low + (high - low) / (1 + Math.exp(-x));
}
