import type {
  ComplianceZone,
  FactorWeights,
  PlacementFilterReason,
  PlacementRequest,
  PlacementResult,
} from '@kailash/contracts';
import { PLACEMENT_FILTER_REASONS } from '@kailash/contracts';
import { estimateRttMs, greatCircleKm, kmWithinRtt } from '../geo/geo';
import { requiredZones, zoneMask } from './compliance';
import { explain } from './explain';
import type { FilterContext } from './filters';
import { rejectReason } from './filters';
import { nodeBound, requestBounds } from './bounds';
import type { Fleet, FleetEdge } from './fleet';
import type { ScoredEdge } from './ranking';
import { TopK } from './ranking';
import { capacityScore, costScore, dataLocalityScore, geographicScore, loadScore } from './scores';
import { SlotEvaluator } from './slot-evaluator';
import { requestWeights } from './weights';

/** Slack on the bound so floating-point rounding can never stop the search before an edge that would rank. */
const BOUND_SLACK = 1e-9;

interface PlacementContext extends FilterContext {
  readonly request: PlacementRequest;
  readonly fleet: Fleet;
  readonly weights: FactorWeights;
  readonly zones: ComplianceZone[];
}

function contextFor(fleet: Fleet, request: PlacementRequest): PlacementContext {
  const zones = requiredZones(request.compliance);
  return {
    request,
    fleet,
    zones,
    weights: requestWeights(request),
    requiredMask: zoneMask(zones),
    resources: request.resources,
    maxKm: request.latencyBudgetMs === undefined ? Infinity : kmWithinRtt(request.latencyBudgetMs),
    maxCostPerHour: request.maxCostPerHour,
  };
}

/** The weighted total without building the per-factor record: the search computes it for every edge it opens. */
function total(edge: FleetEdge, km: number, context: PlacementContext): number {
  const { request, weights, fleet } = context;
  return (
    weights.geographic * geographicScore(km) +
    weights.dataLocality * dataLocalityScore(edge, request.dataSets) +
    weights.load * loadScore(edge, request.resources) +
    weights.capacity * capacityScore(edge, request.resources, fleet.stats) +
    weights.cost * costScore(edge, fleet.stats)
  );
}

function score(edge: FleetEdge, km: number, context: PlacementContext): ScoredEdge {
  const { request, fleet } = context;
  const scores = {
    geographic: geographicScore(km),
    dataLocality: dataLocalityScore(edge, request.dataSets),
    load: loadScore(edge, request.resources),
    capacity: capacityScore(edge, request.resources, fleet.stats),
    cost: costScore(edge, fleet.stats),
  };
  return { edge, km, total: total(edge, km, context), scores };
}

/** Filters one edge, scores it if it passes, and keeps the tally of why edges were turned away. */
function evaluate(
  edge: FleetEdge,
  km: number,
  context: PlacementContext,
  top: TopK,
  filtered: Record<PlacementFilterReason, number>,
): void {
  const reason = rejectReason(edge, km, context);
  if (reason) filtered[reason] += 1;
  else top.offer(score(edge, km, context));
}

/**
 * Ranks the fleet's edges for a request by branch and bound over the kd-tree. Every tree node carries
 * summaries of the placeable edges below it (how many, zones held, cheapest rate, most free capacity,
 * data sets held), so a node whose edges cannot pass the hard filters is skipped whole, and the others
 * are opened in order of the highest total any of their edges could reach. An edge is accepted only
 * when nothing still queued could beat it, so the first k accepted are exactly the k best — the same
 * answer as scoring every edge, which `placeByFullScan` does and the tests compare against. Examining an
 * edge reads the fleet's columns (`SlotEvaluator`); objects are built only for the k accepted.
 */
export function place(fleet: Fleet, request: PlacementRequest): PlacementResult {
  const context = contextFor(fleet, request);
  const stats = fleet.stats;
  const bounds = requestBounds(
    { ...context, dataSets: request.dataSets },
    fleet.summaries,
    stats,
    fleet.columns,
    fleet.tree,
  );
  const top = new TopK(request.maxResults);
  const filtered = lifecycleTally(fleet);
  const evaluator = new SlotEvaluator(
    fleet.columns,
    request,
    context.weights,
    stats,
    context.requiredMask,
    context.maxKm,
    filtered,
  );
  // Once k results are held, anything below the k-th total can never enter them: not queued at all.
  const floor = () => (top.full ? top.threshold - BOUND_SLACK : -Infinity);
  const unlessBelow = (value: number) => (value < floor() ? -Infinity : value);
  fleet.tree.searchByBound(request.client, context.maxKm, {
    nodeBound: (node, minKm) => unlessBelow(nodeBound(fleet.summaries, node, minKm, bounds)),
    itemValue: (slot, km) =>
      fleet.columns.placeable[slot] === 0 ? -Infinity : unlessBelow(evaluator.value(slot, km)),
    // Equal totals keep going, so ties are settled by TopK's rule (nearer, then id) as in the full scan.
    proceed: (bestRemaining) => !(top.full && top.threshold > bestRemaining + BOUND_SLACK),
    accept: (slot, km) => top.offer(score(fleet.edgeAt(slot), km, context)),
  });
  const examined = evaluator.examined;
  return result(context, top, filtered, { examined, pruned: fleet.placeableCount - examined });
}

/** The brute-force reference: every edge, haversine distance, every filter and score. Tests and the benchmark compare against it. */
export function placeByFullScan(fleet: Fleet, request: PlacementRequest): PlacementResult {
  const context = contextFor(fleet, request);
  const top = new TopK(request.maxResults);
  const filtered = zeroTally();
  for (const edge of fleet.edges) evaluate(edge, greatCircleKm(request.client, edge), context, top, filtered);
  return result(context, top, filtered, { examined: fleet.placeableCount, pruned: 0 });
}

function result(
  context: PlacementContext,
  top: TopK,
  filtered: Record<PlacementFilterReason, number>,
  counts: { examined: number; pruned: number },
): PlacementResult {
  const { request, weights, zones, fleet } = context;
  return {
    strategy: request.strategy,
    weights,
    requiredZones: zones,
    candidates: top.best().map((candidate) => ({
      edgeId: candidate.edge.edgeId,
      name: candidate.edge.name,
      region: candidate.edge.region,
      location: { lat: candidate.edge.lat, lon: candidate.edge.lon },
      zones: [...candidate.edge.zones],
      score: round(candidate.total),
      scores: roundAll(candidate.scores),
      estimatedRttMs: round(estimateRttMs(candidate.km)),
      distanceKm: round(candidate.km),
      explanation: explain(candidate, weights, zones, request.dataSets),
    })),
    filtered,
    ...counts,
    fleetSize: fleet.size,
    fleetPosition: fleet.position,
  };
}

function zeroTally(): Record<PlacementFilterReason, number> {
  return Object.fromEntries(PLACEMENT_FILTER_REASONS.map((reason) => [reason, 0])) as Record<
    PlacementFilterReason,
    number
  >;
}

/** Edges that are not placeable are never examined; their counts come from the fleet view. */
function lifecycleTally(fleet: Fleet): Record<PlacementFilterReason, number> {
  const tally = zeroTally();
  const counts = fleet.lifecycleCounts;
  tally.draining = counts.draining;
  tally.inactive = counts.initialized + counts.warming + counts.terminated + fleet.unhealthyActiveCount;
  return tally;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

function roundAll(scores: FactorWeights): FactorWeights {
  return {
    geographic: round(scores.geographic),
    dataLocality: round(scores.dataLocality),
    load: round(scores.load),
    capacity: round(scores.capacity),
    cost: round(scores.cost),
  };
}
