import { DDSketch } from '@datadog/sketches-js';

/** 1 %: every quantile a rollup answers is within 1 % of a value the raw samples hold at that rank. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

export function sketchToBytes(sketch: DDSketch): Buffer {
  return Buffer.from(sketch.toProto());
}

export function sketchFromBytes(bytes: Uint8Array): DDSketch {
  // Re-merged into a fresh sketch so the mapping (and so mergeability) is always ours.
  const sketch = newSketch();
  sketch.merge(DDSketch.fromProto(bytes));
  return sketch;
}
