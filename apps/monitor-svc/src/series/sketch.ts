import { DDSketch } from '@datadog/sketches-js';
import { addDecoded, decodeSketch, encodeSketch, sameMapping } from './sketch-codec';

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
