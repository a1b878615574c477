import fc from 'fast-check';
import { jsonErrorPosition } from './json-position';

describe('jsonErrorPosition', () => {
  it.each([
    ['{"a":}', 5],
    ['{"a":1', 6],
    ['', 0],
    ['{"a":1}x', 7],
    ['[1,,2]', 3],
    ['{"a":"\\x"}', 6],
    ['{a:1}', 1],
    ['tru', 3],
    ['01', 1],
  ])('finds where %p stops being JSON', (text, position) => {
    expect(jsonErrorPosition(text)).toBe(position);
  });

  it('agrees with JSON.parse on what is JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.json(), fc.string()), (text) => {
        let valid = true;
        try {
          JSON.parse(text);
        } catch {
          valid = false;
        }
        expect(jsonErrorPosition(text) === -1).toBe(valid);
      }),
      { seed: 20261201, numRuns: 2000 },
    );
  });
});
