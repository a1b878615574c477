import type { FactorWeights, PlacementFilterReason, PlacementRequest } from '@kailash/contracts';
import type { FleetColumns } from './fleet-columns';
import type { FleetStats } from './fleet';
import type { RequestedBits } from './requested-bits';
import { consideredNames, geographicScore, UNKNOWN_SCORE } from './scores';

const EMPTY = new Float64Array(0);

/** One resource type a request looks at, with the columns it reads. */
interface ResourceTerm {
  readonly need: number;
  readonly capacity: Float64Array;
  readonly allocated: Float64Array;
  /** The capacity score's denominator: the roomiest placeable edge's free amount. */
  readonly roomiest: number;
}

/**
 * The hard filters and the weighted total of one request, over the fleet's columns: what the search
 * computes for every edge it examines, reading typed arrays at the slot and allocating nothing. Each
 * step mirrors the per-edge functions (filters.ts, scores.ts) operation for operation, so totals are
 * bit-identical to the full scan's and ties break the same way; the property tests hold them to it.
 */
export class SlotEvaluator {
  private readonly needs: readonly ResourceTerm[];
  private readonly considered: readonly ResourceTerm[];
  private readonly dataSets: readonly string[];
  private readonly dataSetBits: readonly number[];
  private readonly maxCost: number;
  examined = 0;

  constructor(
    private readonly columns: FleetColumns,
    request: PlacementRequest,
    private readonly weights: FactorWeights,
    private readonly stats: FleetStats,
    private readonly requiredMask: number,
    private readonly maxKm: number,
    private readonly filtered: Record<PlacementFilterReason, number>,
    private readonly requested: RequestedBits,
  ) {
    const term = (name: string): ResourceTerm => {
      const column = columns.resources.get(name);
      return {
        need: request.resources[name] ?? 0,
        capacity: column?.capacity ?? EMPTY,
        allocated: column?.allocated ?? EMPTY,
        roomiest: stats.maxFree[name] ?? 0,
      };
    };
    this.needs = Object.keys(request.resources)
      .map(term)
      .filter((resource) => resource.need > 0);
    this.considered = consideredNames(request.resources).map(term);
    this.dataSets = request.dataSets;
    this.dataSetBits = request.dataSets.map((name) => columns.dataSetBit(name));
    this.maxCost = request.maxCostPerHour ?? Infinity;
  }

  /** The slot's total, or -Infinity (tallying the reason) when a hard filter turns it away. */
  value(slot: number, km: number): number {
    this.examined += 1;
    const reason = this.rejectReason(slot, km);
    if (reason) {
      this.filtered[reason] += 1;
      return -Infinity;
    }
    const { weights } = this;
    return (
      weights.geographic * geographicScore(km) +
      weights.dataLocality * this.dataLocality(slot) +
      weights.load * this.load(slot) +
      weights.capacity * this.capacity(slot) +
      weights.cost * this.cost(slot)
    );
  }

  /** Requested data-set bits the slot has: the count `visitTopLevels` levels slots by. */
  requestedBits(slot: number): number {
    return this.requested.count(
      this.columns.dataSetsLow[slot] as number,
      this.columns.dataSetsHigh[slot] as number,
    );
  }

  private rejectReason(slot: number, km: number): PlacementFilterReason | undefined {
    if (km > this.maxKm) return 'latency_budget';
    const zones = this.columns.zoneMask[slot] as number;
    if ((zones & this.requiredMask) !== this.requiredMask) return 'compliance';
    for (const resource of this.needs) if (free(resource, slot) < resource.need) return 'capacity';
    if (this.maxCost !== Infinity && !((this.columns.cost[slot] as number) <= this.maxCost)) return 'cost';
    return undefined;
  }

  private dataLocality(slot: number): number {
    const names = this.dataSets;
    if (names.length === 0) return 100;
    const edge = this.columns.edges[slot];
    const low = this.columns.dataSetsLow[slot] as number;
    const high = this.columns.dataSetsHigh[slot] as number;
    let held = 0;
    for (let i = 0; i < names.length; i += 1) {
      const bit = this.dataSetBits[i] as number;
      if (bit < 0) continue;
      const set = bit < 32 ? low & (1 << bit) : high & (1 << (bit - 32));
      // A shared bit (more than 64 names in the fleet) can be another name's; the name settles it.
      if (set !== 0 && (this.columns.sharedBit[bit] === 0 || edge?.dataSets.includes(names[i] as string)))
        held += 1;
    }
    return (100 * held) / names.length;
  }

  private load(slot: number): number {
    let sum = 0;
    let count = 0;
    for (const resource of this.considered) {
      const capacity = resource.capacity[slot] ?? 0;
      if (capacity <= 0) continue;
      sum += clamp((100 * (free(resource, slot) - resource.need)) / capacity);
      count += 1;
    }
    return count === 0 ? UNKNOWN_SCORE : sum / count;
  }

  private capacity(slot: number): number {
    let sum = 0;
    let count = 0;
    for (const resource of this.considered) {
      if ((resource.capacity[slot] ?? 0) <= 0) continue;
      const roomiest = resource.roomiest;
      sum += roomiest > 0 ? clamp((100 * (free(resource, slot) - resource.need)) / roomiest) : 100;
      count += 1;
    }
    return count === 0 ? UNKNOWN_SCORE : sum / count;
  }

  private cost(slot: number): number {
    return costScoreOf(this.columns.cost[slot] as number, this.stats);
  }
}

/** The cost score of an hourly rate (NaN: unknown), as `costScore` gives it for an edge. */
export function costScoreOf(rate: number, stats: FleetStats): number {
  if (Number.isNaN(rate)) return UNKNOWN_SCORE;
  const spread = stats.maxCostPerHour - stats.minCostPerHour;
  if (!(spread > 0)) return 100;
  return clamp((100 * (stats.maxCostPerHour - rate)) / spread);
}

function free(resource: ResourceTerm, slot: number): number {
  return (resource.capacity[slot] ?? 0) - (resource.allocated[slot] ?? 0);
}

function clamp(score: number): number {
  return Math.min(100, Math.max(0, score));
}
