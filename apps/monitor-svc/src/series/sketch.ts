import { DDSketch } from '@datadog/sketches-js';
import { addDecoded, decodeSketch, encodeSketch, quantileOfBins, sameMapping } from './sketch-codec';

/** 1 %: every quantile a rollup answers is within 1 % of a value the raw samples hold at that rank. */
export const SKETCH_RELATIVE_ACCURACY = 0.01;

export function newSketch(): DDSketch {
  return new DDSketch({ relativeAccuracy: SKETCH_RELATIVE_ACCURACY });
}

/** The sketch as DDSketch's protobuf message (readable by `DDSketch.fromProto`). */
export function sketchToBytes(sketch: DDSketch): Buffer {
  return encodeSketch(sketch);
}

export function sketchFromBytes(bytes: Uint8Array): DDSketch {
  const sketch = newSketch();
  const decoded = decodeSketch(bytes);
  if (sameMapping(sketch, decoded)) return addDecoded(sketch, decoded);
  // Another mapping: re-merged into a fresh sketch so the mapping (and so mergeability) is always ours.
  sketch.merge(DDSketch.fromProto(bytes));
  return sketch;
}

/** Only its mapping is used: to turn a bin's key into the value DDSketch answers for it. */
const MAPPING_SKETCH = newSketch();

/**
 * `sketchFromBytes(bytes).getValueAtQuantile(quantile)` without building the sketch: a query at
 * a rollup's own step reads one stored sketch per point, and a DDSketch per row was most of it.
 */
export function quantileOfBytes(bytes: Uint8Array, quantile: number): number {
  const decoded = decodeSketch(bytes);
  if (!sameMapping(MAPPING_SKETCH, decoded)) return sketchFromBytes(bytes).getValueAtQuantile(quantile);
  return quantileOfBins(MAPPING_SKETCH, decoded, quantile);
}
