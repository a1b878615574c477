import fc from 'fast-check';
import { HLC_MAX_LOGICAL, HLC_MAX_WALL_MS, HLC_NODE_ID_MAX_LENGTH, type HlcTimestamp } from '../src';

const NODE_ID_CHARS = 'ABCXYZabcxyz0189_-'.split('');

/** Valid node ids, biased towards short ones so ties and prefixes (`a` vs `a-`) happen often. */
export const nodeIdArb = fc.oneof(
  fc.string({ unit: fc.constantFrom(...NODE_ID_CHARS), minLength: 1, maxLength: 3 }),
  fc.string({ unit: fc.constantFrom(...NODE_ID_CHARS), minLength: 1, maxLength: HLC_NODE_ID_MAX_LENGTH }),
);

/** Small ranges make equal wall times and logical counters common, so tie-breaking gets exercised. */
export const wallMsArb = fc.oneof(
  fc.integer({ min: 0, max: 3 }),
  fc.integer({ min: 0, max: HLC_MAX_WALL_MS }),
);
export const logicalArb = fc.oneof(
  fc.integer({ min: 0, max: 2 }),
  fc.integer({ min: 0, max: HLC_MAX_LOGICAL }),
);

export const timestampArb: fc.Arbitrary<HlcTimestamp> = fc.record({
  wallMs: wallMsArb,
  logical: logicalArb,
  nodeId: nodeIdArb,
});

/** A physical clock that returns the scripted readings in turn, then repeats the last one. */
export function scriptedClock(readings: readonly number[]): () => number {
  let index = 0;
  return () => {
    const reading = readings[Math.min(index, readings.length - 1)] ?? 0;
    index += 1;
    return reading;
  };
}
