import fc from 'fast-check';
import { timestampArb } from '../test/arbitraries';
import { encodeHlc, parseHlc } from './hlc-encoding';
import { HlcParseError } from './hlc-errors';
import { compareHlc } from './hlc-timestamp';

const byteOrder = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

describe('HLC encoding properties', () => {
  it('parse(encode(t)) gives back t exactly', () => {
    fc.assert(
      fc.property(timestampArb, (t) => {
        expect(parseHlc(encodeHlc(t))).toEqual(t);
      }),
      { numRuns: 2_000 },
    );
  });

  it('string order of encodings equals compareHlc order for any pair', () => {
    fc.assert(
      fc.property(timestampArb, timestampArb, (a, b) => {
        expect(byteOrder(encodeHlc(a), encodeHlc(b))).toBe(compareHlc(a, b));
      }),
      { numRuns: 5_000 },
    );
  });

  it('sorting encodings sorts the stamps', () => {
    fc.assert(
      fc.property(fc.array(timestampArb, { maxLength: 50 }), (stamps) => {
        const byString = stamps.map(encodeHlc).sort();
        const byCompare = [...stamps].sort(compareHlc).map(encodeHlc);
        expect(byString).toEqual(byCompare);
      }),
    );
  });

  it('any string is either rejected with HlcParseError or is the canonical encoding of what it parses to', () => {
    const hexish = fc.string({ unit: fc.constantFrom(...'0189afAF-_xz.'.split('')), maxLength: 24 });
    fc.assert(
      fc.property(fc.oneof(fc.string(), hexish), (s) => {
        let parsed;
        try {
          parsed = parseHlc(s);
        } catch (error) {
          expect(error).toBeInstanceOf(HlcParseError);
          return;
        }
        expect(encodeHlc(parsed)).toBe(s);
      }),
      { numRuns: 5_000 },
    );
  });
});
