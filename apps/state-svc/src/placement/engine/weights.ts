import type { FactorWeights, PlacementRequest } from '@kailash/contracts';
import { definedOnly, effectiveWeights, PLACEMENT_FACTORS } from '@kailash/contracts';

/**
 * The strategy's default weights with the request's overrides laid over them, scaled to sum to 1 so
 * every total stays on the 0–100 scale of the factor scores. The request schema has already refused
 * a set that is all zero.
 */
export function requestWeights(request: Pick<PlacementRequest, 'strategy' | 'weights'>): FactorWeights {
  const weights = effectiveWeights(request.strategy, definedOnly(request.weights));
  const sum = PLACEMENT_FACTORS.reduce((total, factor) => total + weights[factor], 0);
  if (!(sum > 0)) throw new RangeError(`every weight of ${request.strategy} is 0`);
  return Object.fromEntries(PLACEMENT_FACTORS.map((factor) => [factor, weights[factor] / sum])) as Record<
    keyof FactorWeights,
    number
  >;
}
