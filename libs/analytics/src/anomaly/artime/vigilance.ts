import type { DualVigilanceFuzzyArt } from './fuzzy-art';

/** Sliding window of fixed length over numbers (oldest overwritten first). */
class Ring {
  private readonly values: Float64Array;
  private next = 0;
  constructor(length: number, initial: number) {
    this.values = new Float64Array(Math.max(1, length)).fill(initial);
  }
  push(value: number): void {
    this.values[this.next] = value;
    this.next = (this.next + 1) % this.values.length;
  }
  min(): number {
    let m = Number.POSITIVE_INFINITY;
    for (const v of this.values) m = Math.min(m, v);
    return m;
  }
  /** Mean of min(v, cap) over the values above `floor`, 0 when there are none. */
  cappedMeanAbove(floor: number, cap: number): number {
    let sum = 0;
    let count = 0;
    for (const v of this.values)
      if (v > floor) {
        sum += Math.min(cap, v);
        count++;
      }
    return count > 0 ? sum / count : 0;
  }
}

/**
 * ARTime's decision and vigilance control for one down-sampled feature window at a time.
 *
 * Reporting: a mismatch is reported unless the detector is masking — within `mask` windows of the
 * last anomaly, or after a new category until `mask` windows without one have passed — in which
 * case its similarity must fall below 0.9 (just after an anomaly) or 0.7 of the last anomaly's.
 *
 * Vigilance: `mask` windows after an anomaly and every half trend window, the upper vigilance
 * becomes the mean similarity so far (at most 0.97); the lower one moves 19 % of the way up to
 * the lowest similarity of the last half trend window if that is above it, and otherwise down by
 * half the mean shortfall below the upper vigilance (0.01 at least, at most 0.37 per window),
 * never below the mean similarity of past anomalies. So the network gets stricter on calm data
 * and more tolerant when the data drifts, without being talked out of what was anomalous.
 * Memory: two windows of about one trend window each, and running sums.
 */
export class VigilanceTracker {
  private lastAnomalyAt = 0;
  private lastAnomalySimilarity = 0;
  private lastUpdateAt = 0;
  private maskAfterCategory = false;
  private sinceNewCluster = 0;
  private similaritySum = 0;
  private similarityCount = 0;
  private anomalySimilaritySum = 0;
  private anomalyCount = 0;
  private lastAnomalyMinimum = 0;
  private readonly recentSimilarity: Ring;
  private readonly shortfall: Ring;

  constructor(
    private readonly art: DualVigilanceFuzzyArt,
    private readonly trendWindow: number,
    private readonly mask: number,
  ) {
    this.recentSimilarity = new Ring(Math.floor(trendWindow / 2) + 1, 1);
    this.shortfall = new Ring(trendWindow + 1, 0);
  }

  /** Presents window `index` (1-based, in down-sampled steps); returns its anomaly score in [0, 1]. */
  detect(features: Float64Array, index: number, learn: boolean): number {
    const sinceAnomaly = index - this.lastAnomalyAt;
    const updateVigilance =
      index > this.trendWindow &&
      (sinceAnomaly === this.mask || index - this.lastUpdateAt >= Math.floor(this.trendWindow / 2));
    const maskAfterAnomaly = sinceAnomaly <= this.mask;
    if (index > this.trendWindow + this.mask && this.maskAfterCategory && this.sinceNewCluster >= this.mask)
      this.maskAfterCategory = false;
    const presented = this.art.present(features, learn);
    const { similarity, energy } = presented;
    // Windows shown without learning (before the first full one) count as mismatches.
    const mismatch = presented.mismatch || !learn;
    this.sinceNewCluster = mismatch ? 0 : this.sinceNewCluster + 1;
    this.similaritySum += similarity;
    this.similarityCount++;
    this.recentSimilarity.push(similarity);
    this.shortfall.push(this.art.rhoHigh - similarity);
    if (sinceAnomaly < this.mask && this.anomalyCount > 0 && similarity < this.lastAnomalyMinimum) {
      this.anomalySimilaritySum += similarity - this.lastAnomalyMinimum;
      this.lastAnomalyMinimum = similarity;
    }
    const masking = this.maskAfterCategory || maskAfterAnomaly;
    const clearlyWorse = similarity < this.lastAnomalySimilarity * (maskAfterAnomaly ? 0.9 : 0.7);
    let score = 0;
    if (index > this.trendWindow && mismatch && (!masking || clearlyWorse)) {
      score = this.confidence(similarity, energy);
      this.anomalySimilaritySum += similarity;
      this.anomalyCount++;
      this.lastAnomalyMinimum = similarity;
      this.lastAnomalySimilarity = similarity;
      this.lastAnomalyAt = index;
    }
    this.maskAfterCategory ||= mismatch;
    if (updateVigilance) this.updateVigilance(index);
    return score;
  }

  private updateVigilance(index: number): void {
    const lowestRecent = this.recentSimilarity.min();
    const upper = Math.min(0.97, this.similaritySum / this.similarityCount);
    const previous = this.art.rhoLow;
    let lower: number;
    if (previous <= lowestRecent) lower = previous + (lowestRecent - previous) * 0.19;
    else {
      const shortfall = index > 2 * this.trendWindow ? this.shortfall.cappedMeanAbove(0.05, 0.37) : 0;
      lower = previous - Math.max(0.01, shortfall) / 2;
      if (this.anomalyCount > 0) lower = Math.max(this.anomalySimilaritySum / this.anomalyCount, lower);
    }
    this.art.rhoLow = Math.min(upper, lower);
    this.art.rhoHigh = upper;
    this.lastUpdateAt = index;
    this.maskAfterCategory = true;
  }

  /** How far the match fell below both vigilances, plus how badly the newest value disagreed. */
  private confidence(similarity: number, energy: number): number {
    const distance = 1 - Math.min(0.999, similarity);
    const belowUpper = (distance - (1 - this.art.rhoHigh)) / distance;
    const belowLower = (distance - (1 - this.art.rhoLow)) / distance;
    const score = belowUpper * 0.35 + belowLower * 0.65 + (1 - energy) * 1.5;
    return Math.min(1, Math.max(0, Math.round(score * 1e6) / 1e6));
  }
}
