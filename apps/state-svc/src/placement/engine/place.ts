import type {
  ComplianceZone,
  FactorWeights,
  PlacementFilterReason,
  PlacementRequest,
  PlacementResult,
} from '@kailash/contracts';
import { PLACEMENT_FILTER_REASONS } from '@kailash/contracts';
import { estimateRttMs, greatCircleKm, kmWithinRtt, toUnitVector } from '../geo/geo';
import { requiredZones, zoneMask } from './compliance';
import { explain } from './explain';
import type { FilterContext } from './filters';
import { rejectReason } from './filters';
import { nodeBound, requestBounds, zoneIndices } from './bounds';
import { DataLevels } from './data-levels';
import { jointPlan } from './joint-ceilings';
import type { Fleet, FleetEdge } from './fleet';
import type { ScoredEdge } from './ranking';
import { TopK } from './ranking';
import { capacityScore, costScore, dataLocalityScore, geographicScore, loadScore } from './scores';
import { RequestedBits } from './requested-bits';
import { SlotEvaluator } from './slot-evaluator';
import { requestWeights } from './weights';

/** Slack on the bound so floating-point rounding can never stop the search before an edge that would rank. */
const BOUND_SLACK = 1e-9;
/**
 * Data locality leads the request when it weighs at least two thirds of proximity: the edges holding
 * the most requested data sets are then examined first, from the per-key bitsets, and the tree searches
 * only the rest with a lower data-locality ceiling. Measured at 100,000 edges this helps data-led,
 * compliance-first, balanced and cost-led requests; a latency-led one finds its answer nearby faster
 * in the tree alone.
 */
const DATA_LEADS_PROXIMITY = 2 / 3;
/**
 * Edges examined from the bitsets at most: a 64th of the placeable fleet, within these bounds. Measured
 * at 1,000,000 edges, letting a level of 11,000 through examined 7,306 edges at p99 where the tree with
 * 2,048 did better (balanced CPU p99 9.8 → 5.6 ms); at 100,000 edges 1,094 beat 2,048.
 */
const LEVEL_BUDGET = { least: 1_024, most: 2_048 };
/**
 * With one or two requested data sets the tree's co-held rows already bound data locality exactly
 * (whether some edge below holds both), so the bitsets lead only from three on.
 */
const LEVELS_FROM_BITS = 3;

/** Knobs of the search that change how much it examines, never its answer (tests turn them). */
export interface PlaceOptions {
  /** Edges examined from the bitsets at most before the tree takes over. */
  readonly levelBudget?: number;
  /** Tallies of the search's work, for profiling drivers. */
  readonly counters?: SearchCounters;
}

/** How much work one search did besides the edges it examined. */
export interface SearchCounters {
  nodeBounds: number;
}

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
 * edge reads the fleet's columns (`SlotEvaluator`); objects are built only for the k accepted. A
 * data-led request first examines the edges holding the most of its data sets, found from the per-key
 * bitsets; the tree then only searches edges holding fewer, under a correspondingly lower ceiling.
 */
export function place(fleet: Fleet, request: PlacementRequest, options: PlaceOptions = {}): PlacementResult {
  const context = contextFor(fleet, request);
  const requested = new RequestedBits(fleet.columns, request.dataSets);
  const top = new TopK(request.maxResults);
  const filtered = lifecycleTally(fleet);
  const evaluator = new SlotEvaluator(
    fleet.columns,
    request,
    context.weights,
    fleet.stats,
    context.requiredMask,
    context.maxKm,
    filtered,
    requested,
  );
  // Once k results are held, anything below the k-th total can never enter them: not queued at all.
  const floor = () => (top.full ? top.threshold - BOUND_SLACK : -Infinity);
  const unlessBelow = (value: number) => (value < floor() ? -Infinity : value);
  const budget =
    options.levelBudget ??
    Math.min(LEVEL_BUDGET.most, Math.max(LEVEL_BUDGET.least, fleet.placeableCount / 64));
  const cut = examineLeadingDataSets(fleet, context, requested, budget, {
    examine: (slot, km) => {
      const value = evaluator.value(slot, km);
      if (value > -Infinity && value >= floor()) top.offer(score(fleet.edgeAt(slot), km, context));
    },
    couldRank: (ceiling) => !(top.full && top.threshold > ceiling + BOUND_SLACK),
  });
  const bounds = requestBounds(
    {
      ...context,
      dataSets: request.dataSets,
      requested,
      mostHeld: cut - 1,
      joint: jointPlan(request, context.weights, fleet.stats, fleet.summaries.jointScale),
    },
    fleet.summaries,
    fleet.stats,
  );
  const skipsExamined = cut <= requested.bits.length;
  const counters = options.counters;
  fleet.tree.searchByBound(request.client, context.maxKm, {
    nodeBound: (node, minKm) => {
      if (counters) counters.nodeBounds += 1;
      return unlessBelow(nodeBound(fleet.summaries, node, minKm, bounds));
    },
    // Not placeable, or already examined from the bitsets.
    admits: (slot) =>
      fleet.columns.placeable[slot] !== 0 && !(skipsExamined && evaluator.requestedBits(slot) >= cut),
    itemValue: (slot, km) => unlessBelow(evaluator.value(slot, km)),
    // Equal totals keep going, so ties are settled by TopK's rule (nearer, then id) as in the full scan.
    proceed: (bestRemaining) => !(top.full && top.threshold > bestRemaining + BOUND_SLACK),
    accept: (slot, km) => top.offer(score(fleet.edgeAt(slot), km, context)),
  });
  const examined = evaluator.examined;
  return result(context, top, filtered, { examined, pruned: fleet.placeableCount - examined });
}

/**
 * For a data-led request, examines the placeable edges with the required zones that hold the most
 * requested data sets, level by level from all of them down (`DataLevels`), while a level is small
 * (within the budget) and its edges could still rank; returns the level reached: every edge holding at
 * least that many requested bits is done. Otherwise returns one more than the request's bits.
 */
function examineLeadingDataSets(
  fleet: Fleet,
  context: PlacementContext,
  requested: RequestedBits,
  budget: number,
  step: { examine(slot: number, km: number): void; couldRank(ceiling: number): boolean },
): number {
  const none = requested.bits.length + 1;
  const { weights, requiredMask, request } = context;
  const leads = weights.dataLocality > 0 && weights.dataLocality >= DATA_LEADS_PROXIMITY * weights.geographic;
  if (!leads || requested.bits.length < LEVELS_FROM_BITS) return none;
  const zones = zoneIndices(requiredMask);
  const levels = new DataLevels(fleet.columns.keys, fleet.columns.slotsInUse, requested.bits, zones);
  const [qx, qy, qz] = toUnitVector(request.client);
  // The most an edge holding `held` requested bits could total: every other factor at its best.
  const others = 100 * (weights.geographic + weights.load + weights.capacity + weights.cost);
  const ceiling = (held: number) => (100 * weights.dataLocality * held) / request.dataSets.length + others;
  let held = levels.top;
  for (; held >= levels.lowest && levels.atLeast(held) <= budget && step.couldRank(ceiling(held)); held -= 1)
    levels.visitExactly(held, (slot) => step.examine(slot, fleet.tree.kmFrom(slot, qx, qy, qz)));
  return held + 1;
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
