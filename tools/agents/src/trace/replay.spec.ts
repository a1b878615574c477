import { seededRandom } from '@kailash/random';
import fc from 'fast-check';
import type { ReplayOptions } from './replay';
import { arrivalsOfMinute, minuteMs, replayWindow } from './replay';
import { makeSeries, makeTrace } from './trace';

const trace = makeTrace('azure-functions-day', 't', [
  makeSeries('small', [1, 0, 3]),
  makeSeries('big', [10, 20, 30]),
]);
const options = (overrides: Partial<ReplayOptions> = {}): ReplayOptions => ({
  speed: 60,
  startMinute: 0,
  minutes: 3,
  scale: 1,
  maxSeries: 10,
  ...overrides,
});

describe('trace replay', () => {
  it('compresses time: one trace minute lasts 60 s / speed', () => {
    expect(minuteMs(1)).toBe(60_000);
    expect(minuteMs(60)).toBe(1000);
    expect(minuteMs(600)).toBe(100);
  });

  it('sends exactly each minute’s count, inside that compressed minute, in time order', () => {
    const random = seededRandom(1);
    const second = arrivalsOfMinute(trace, 1, options({ startMinute: 0 }), random);
    expect(second).toHaveLength(20);
    expect(second.every((a) => a.series === 0)).toBe(true); // "big" is the busiest, so index 0
    expect(second.every((a) => a.atMs >= 1000 && a.atMs < 2000)).toBe(true);
    expect(second.map((a) => a.atMs)).toEqual([...second.map((a) => a.atMs)].sort((a, b) => a - b));
  });

  it('replays only the busiest series when asked, and clips the window to the trace', () => {
    const arrivals = arrivalsOfMinute(trace, 2, options({ maxSeries: 1 }), seededRandom(2));
    expect(arrivals).toHaveLength(30);
    expect(replayWindow(trace, options({ startMinute: 2, minutes: 100 }))).toEqual({
      first: 2,
      end: 3,
      series: 2,
    });
    expect(() => replayWindow(trace, options({ speed: 0 }))).toThrow('--speed must be positive');
  });

  it('a scale keeps the expected total (fractions sent with their probability)', () => {
    const random = seededRandom(3);
    let sent = 0;
    for (let i = 0; i < 400; i++) sent += arrivalsOfMinute(trace, 0, options({ scale: 0.25 }), random).length;
    // 11 per minute × 0.25 × 400 = 1100; the fraction's Bernoulli spread is ~±9 (1 sd).
    expect(sent).toBeGreaterThan(1050);
    expect(sent).toBeLessThan(1150);
  });

  it('spreads n arrivals one per n-th of the minute (stratified), for any count and speed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 500 }),
        fc.double({ min: 0.5, max: 1000, noNaN: true }),
        (n, speed) => {
          const one = makeTrace('nasa-http', 'n', [makeSeries('requests', [n])]);
          const arrivals = arrivalsOfMinute(one, 0, options({ speed, minutes: 1 }), seededRandom(n));
          const length = minuteMs(speed);
          return (
            arrivals.length === n &&
            arrivals.every((a, slot) => a.atMs >= (slot / n) * length && a.atMs < ((slot + 1) / n) * length)
          );
        },
      ),
      { seed: 7, numRuns: 100 },
    );
  });
});
