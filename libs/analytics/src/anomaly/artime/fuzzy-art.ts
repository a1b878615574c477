/** What one presentation to the network found: the best category and whether it resonated. */
export interface ArtPresentation {
  /** Match of the best category (feature similarity³ × energy similarity²), 0 when there is none. */
  readonly similarity: number;
  /** Energy similarity of that category (agreement on the most recent value). */
  readonly energy: number;
  /**
   * True when no category passed the lower vigilance: the sample needed a new cluster, which is
   * what the detector treats as a candidate anomaly. False on the very first sample.
   */
  readonly mismatch: boolean;
}

/**
 * Dual-vigilance fuzzy ART (Carpenter & Grossberg's fuzzy ART with two vigilance levels, after
 * da Silva et al.'s DVFA), in the compact form the ARTime detector uses: complement-coded inputs,
 * fast commit (learning rate 1), and a match that weighs the agreement on the newest value
 * ("energy", the last feature and its complement) next to the agreement on all features.
 *
 * A sample resonates with every category whose match reaches the upper vigilance (each learns it);
 * if the best match lies between the two vigilances the sample becomes a new category of the same
 * cluster; below the lower vigilance it opens a new cluster (a mismatch). Categories are capped at
 * `maxCategories`: beyond that new ones are not stored, so memory and the work per sample (one
 * pass over the categories) stay bounded.
 */
export class DualVigilanceFuzzyArt {
  private readonly categories: Float64Array[] = [];
  /** Running (x ∧ w) per category for the current sample, reused by fast commit. */
  private readonly overlap: Float64Array[] = [];
  private readonly match: number[] = [];
  rhoLow = 0;
  rhoHigh = 0;

  constructor(
    readonly dimension: number,
    readonly maxCategories = 4000,
  ) {}

  get categoryCount(): number {
    return this.categories.length;
  }

  /** Presents features in [0, 1]; with `learning` false only the best match is measured. */
  present(features: ArrayLike<number>, learning = true): ArtPresentation {
    const sample = this.complementCode(features);
    if (this.categories.length === 0) {
      // The network starts with one uncommitted category that matches everything weakly.
      this.categories.push(new Float64Array(sample.length).fill(1));
      this.overlap.push(new Float64Array(sample.length));
      this.match.push(0);
      return { similarity: 0, energy: 0, mismatch: false };
    }
    const best = this.activate(sample);
    if (!learning) return { ...best, mismatch: true };
    if (best.similarity >= this.rhoHigh) {
      for (let j = 0; j < this.categories.length; j++)
        if ((this.match[j] as number) >= this.rhoHigh)
          (this.categories[j] as Float64Array).set(this.overlap[j] as Float64Array);
      return { ...best, mismatch: false };
    }
    this.addCategory(sample);
    return { ...best, mismatch: best.similarity < this.rhoLow };
  }

  private complementCode(features: ArrayLike<number>): Float64Array {
    const n = this.dimension;
    const sample = new Float64Array(2 * n);
    for (let k = 0; k < n; k++) {
      const x = Math.min(1, Math.max(0, Number(features[k]) || 0));
      sample[k] = x;
      sample[k + n] = 1 - x;
    }
    return sample;
  }

  /** Match of every category (kept for learning) and the best one; ties keep the oldest. */
  private activate(sample: Float64Array): { similarity: number; energy: number } {
    const newest = this.dimension - 1;
    const newestComplement = 2 * this.dimension - 1;
    let similarity = 0;
    let energy = 0;
    for (let j = 0; j < this.categories.length; j++) {
      const w = this.categories[j] as Float64Array;
      const both = this.overlap[j] as Float64Array;
      let overlapSum = 0;
      let weightSum = 0;
      for (let k = 0; k < sample.length; k++) {
        const m = Math.min(sample[k] as number, w[k] as number);
        both[k] = m;
        overlapSum += m;
        weightSum += w[k] as number;
      }
      const featureSimilarity = overlapSum / (weightSum === 0 ? 0.001 : weightSum);
      const energyWeight = (w[newest] as number) + (w[newestComplement] as number);
      const energySimilarity =
        energyWeight > 0 ? ((both[newest] as number) + (both[newestComplement] as number)) / energyWeight : 0;
      const m = featureSimilarity ** 3 * energySimilarity ** 2;
      this.match[j] = m;
      if (m > similarity) {
        similarity = m;
        energy = energySimilarity;
      }
    }
    return { similarity, energy };
  }

  private addCategory(sample: Float64Array): void {
    if (this.categories.length >= this.maxCategories) return;
    this.categories.push(sample);
    this.overlap.push(new Float64Array(sample.length));
    this.match.push(0);
  }
}
