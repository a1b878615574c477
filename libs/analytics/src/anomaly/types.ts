/**
 * A detector that sees one value at a time, never the future, with memory bounded by its
 * parameters. `update` returns an anomaly score in [0, 1] for the value just seen; non-finite
 * values (gaps) score 0 and leave the state untouched.
 */
export interface StreamingDetector {
  readonly name: string;
  update(value: number): number;
}

/** Creates a detector with fresh state (NAB runs every file from a fresh state). */
export type DetectorFactory = () => StreamingDetector;

/** Maps a non-negative deviation in σ units to [0, 1): 0.5 when it equals `scale`. Never saturates, so thresholds stay resolvable. */
export function deviationScore(z: number, scale: number): number {
  const magnitude = Math.abs(z);
  return Number.isFinite(magnitude) ? magnitude / (magnitude + scale) : 1;
}
