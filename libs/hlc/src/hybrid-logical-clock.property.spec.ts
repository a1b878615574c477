import fc from 'fast-check';
import { logicalArb, nodeIdArb, timestampArb } from '../test/arbitraries';
import { encodeHlc } from './hlc-encoding';
import { ClockSkewError } from './hlc-errors';
import { compareHlc, HLC_MAX_LOGICAL, type HlcTimestamp } from './hlc-timestamp';
import { HybridLogicalClock } from './hybrid-logical-clock';

/** A physical clock the test moves by hand; readings may jump back arbitrarily. */
class ManualClock {
  ms = 0;
  read = (): number => this.ms;
}

/** Readings cluster in a small range so equal and backward readings are common; some jump far. */
const readingArb = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 1_000, max: 1_020 }) },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 2 ** 44 }) },
);

const after = (a: HlcTimestamp, b: HlcTimestamp): boolean => compareHlc(a, b) > 0;

describe('HybridLogicalClock properties', () => {
  it('now() strictly increases whatever the physical clock does, in both compareHlc and string order', () => {
    fc.assert(
      fc.property(fc.array(readingArb, { minLength: 1, maxLength: 300 }), (readings) => {
        const physical = new ManualClock();
        const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: physical.read });
        let previous = clock.peek();
        for (const reading of readings) {
          physical.ms = reading;
          const next = clock.now();
          expect(after(next, previous)).toBe(true);
          expect(encodeHlc(next) > encodeHlc(previous)).toBe(true);
          expect(next.wallMs).toBeGreaterThanOrEqual(reading);
          previous = next;
        }
      }),
      { numRuns: 500 },
    );
  });

  it('monotonicity survives counter overflow bursts and interleaved receives', () => {
    const opArb = fc.oneof(
      fc.record({ kind: fc.constant('now' as const), reading: readingArb }),
      fc.record({
        kind: fc.constant('receive' as const),
        reading: readingArb,
        lead: fc.integer({ min: -50, max: 10 }),
        logical: fc.oneof(logicalArb, fc.constant(HLC_MAX_LOGICAL)),
      }),
    );
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 200 }), (ops) => {
        const physical = new ManualClock();
        const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: physical.read, maxOffsetMs: 5 });
        let previous = clock.peek();
        for (const op of ops) {
          physical.ms = op.reading;
          let next: HlcTimestamp;
          if (op.kind === 'now') {
            next = clock.now();
          } else {
            const remote = { wallMs: Math.max(0, op.reading + op.lead), logical: op.logical, nodeId: 'r' };
            try {
              next = clock.receive(remote);
            } catch (error) {
              expect(error).toBeInstanceOf(ClockSkewError);
              expect(clock.peek()).toEqual(previous);
              continue;
            }
            expect(after(next, remote)).toBe(true);
          }
          expect(after(next, previous)).toBe(true);
          previous = next;
        }
      }),
      { numRuns: 300 },
    );
  });

  it('send → receive preserves order across nodes with disagreeing physical clocks', () => {
    const nodeCount = 3;
    const stepArb = fc.record({
      from: fc.nat({ max: nodeCount - 1 }),
      to: fc.nat({ max: nodeCount - 1 }),
      // Each step every node's physical clock may move forward or back on its own.
      readings: fc.array(readingArb, { minLength: nodeCount, maxLength: nodeCount }),
      deliver: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 150 }), (steps) => {
        const physical = Array.from({ length: nodeCount }, () => new ManualClock());
        // An offset large enough that nothing is refused: this property is about ordering only.
        const clocks = physical.map(
          (p, i) =>
            new HybridLogicalClock({ nodeId: `node-${i}`, physicalClock: p.read, maxOffsetMs: 2 ** 50 }),
        );
        const inFlight: { to: number; stamp: string; sent: HlcTimestamp }[] = [];
        for (const step of steps) {
          step.readings.forEach((ms, i) => {
            const clock = physical[i];
            if (clock) clock.ms = ms;
          });
          const sender = clocks[step.from];
          if (sender) {
            const sent = sender.now();
            inFlight.push({ to: step.to, stamp: encodeHlc(sent), sent });
          }
          // Deliver the oldest or newest message so delivery order differs from send order.
          const message = step.deliver ? inFlight.shift() : inFlight.pop();
          const receiver = message && clocks[message.to];
          if (message && receiver) {
            const before = receiver.peek();
            const received = receiver.receive(message.stamp);
            expect(after(received, message.sent)).toBe(true);
            expect(after(received, before)).toBe(true);
            expect(encodeHlc(received) > message.stamp).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
  });

  it('the skew guard never adopts a stamp beyond maxOffsetMs, and counts every refusal', () => {
    fc.assert(
      fc.property(
        fc.array(timestampArb, { maxLength: 20 }),
        fc.array(
          fc.record({ ahead: fc.integer({ min: 1, max: 2 ** 40 }), logical: logicalArb, nodeId: nodeIdArb }),
          { minLength: 1, maxLength: 20 },
        ),
        fc.integer({ min: 0, max: 2 ** 42 }),
        fc.nat({ max: 10_000 }),
        (warmUp, farStamps, physicalMs, maxOffsetMs) => {
          const reports: ClockSkewError[] = [];
          const clock = new HybridLogicalClock({
            nodeId: 'local',
            physicalClock: () => physicalMs,
            maxOffsetMs,
            onClockSkew: (e) => reports.push(e),
          });
          // Bring the clock to an arbitrary reachable state; some warm-up stamps may be refused too.
          for (const t of warmUp) {
            try {
              clock.receive(t);
            } catch (error) {
              expect(error).toBeInstanceOf(ClockSkewError);
            }
          }
          const refusedBefore = clock.skewRejections;
          for (const far of farStamps) {
            const remote = {
              wallMs: physicalMs + maxOffsetMs + far.ahead,
              logical: far.logical,
              nodeId: far.nodeId,
            };
            const before = clock.peek();
            expect(() => clock.receive(remote)).toThrow(ClockSkewError);
            expect(clock.peek()).toEqual(before);
          }
          expect(clock.skewRejections).toBe(refusedBefore + farStamps.length);
          expect(reports).toHaveLength(clock.skewRejections);
          // Whatever was accepted, wall time stays within the bound (plus at most one carried ms per receive).
          expect(clock.now().wallMs).toBeLessThanOrEqual(physicalMs + maxOffsetMs + warmUp.length + 1);
        },
      ),
      { numRuns: 250 },
    );
  });
});
