import type { ComplianceZone, FactorWeights, PlacementFactor } from '@kailash/contracts';
import { PLACEMENT_FACTORS } from '@kailash/contracts';
import { estimateRttMs } from '../geo/geo';
import type { ScoredEdge } from './ranking';

/** Why an edge ranks where it does, in one sentence an operator can check against the numbers. */
export function explain(
  candidate: ScoredEdge,
  weights: FactorWeights,
  requiredZones: readonly ComplianceZone[],
  dataSets: readonly string[],
): string {
  const { edge, km } = candidate;
  const parts = [
    `${km.toFixed(0)} km from the client (est. RTT ${estimateRttMs(km).toFixed(1)} ms)`,
    requiredZones.length > 0
      ? `holds the required zones ${requiredZones.join(', ')}`
      : 'no compliance zone required',
  ];
  if (dataSets.length > 0)
    parts.push(
      `holds ${dataSets.filter((name) => edge.dataSets.includes(name)).length}/${dataSets.length} requested data sets`,
    );
  parts.push(edge.costPerHour === undefined ? 'no cost rate known' : `costs ${edge.costPerHour}/h`);
  return `${edge.name} (${edge.region}): ${parts.join('; ')}. Score ${candidate.total.toFixed(1)}, led by ${leadingFactors(candidate, weights)}.`;
}

/** The two factors contributing most to the total, with their score and weight. */
function leadingFactors(candidate: ScoredEdge, weights: FactorWeights): string {
  const contribution = (factor: PlacementFactor) => candidate.scores[factor] * weights[factor];
  return [...PLACEMENT_FACTORS]
    .filter((factor) => weights[factor] > 0)
    .sort((a, b) => contribution(b) - contribution(a))
    .slice(0, 2)
    .map((factor) => `${factor} ${candidate.scores[factor].toFixed(0)} × ${weights[factor].toFixed(2)}`)
    .join(' and ');
}
