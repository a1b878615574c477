import { scriptedClock } from '../test/arbitraries';
import { encodeHlc } from './hlc-encoding';
import { ClockSkewError, HlcError, HlcParseError, LogicalOverflowError } from './hlc-errors';
import { HLC_MAX_LOGICAL, HLC_MAX_WALL_MS, type HlcTimestamp } from './hlc-timestamp';
import { DEFAULT_MAX_OFFSET_MS, HybridLogicalClock } from './hybrid-logical-clock';

const at = (ms: number) => () => ms;
const stamp = (wallMs: number, logical: number, nodeId = 'remote'): HlcTimestamp => ({
  wallMs,
  logical,
  nodeId,
});

describe('HybridLogicalClock options', () => {
  it('exposes its node id and starts at the zero stamp', () => {
    const clock = new HybridLogicalClock({ nodeId: 'svc-1', physicalClock: at(1_000) });
    expect(clock.nodeId).toBe('svc-1');
    expect(clock.peek()).toEqual({ wallMs: 0, logical: 0, nodeId: 'svc-1' });
    expect(clock.skewRejections).toBe(0);
  });

  it.each(['', 'a.b', 'a b', 'x'.repeat(65)])('refuses node id %p', (nodeId) => {
    expect(() => new HybridLogicalClock({ nodeId })).toThrow(HlcError);
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('refuses maxOffsetMs %p', (maxOffsetMs) => {
    expect(() => new HybridLogicalClock({ nodeId: 'n', maxOffsetMs })).toThrow('maxOffsetMs must be');
  });

  it('defaults the max offset to 500 ms', () => {
    expect(DEFAULT_MAX_OFFSET_MS).toBe(500);
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(1_000) });
    expect(() => clock.receive(stamp(1_500, 0))).not.toThrow();
    expect(() => clock.receive(stamp(1_501, 0))).toThrow(ClockSkewError);
  });

  it('uses Date.now by default', () => {
    const before = Date.now();
    const t = new HybridLogicalClock({ nodeId: 'n' }).now();
    expect(t.wallMs).toBeGreaterThanOrEqual(before);
    expect(t.wallMs).toBeLessThanOrEqual(Date.now());
  });

  it.each([Number.NaN, -1, HLC_MAX_WALL_MS + 1])('refuses a physical clock reading of %p', (reading) => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(reading) });
    expect(() => clock.now()).toThrow('physical clock returned');
  });

  it('floors fractional physical readings', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(1_000.9) });
    expect(clock.now()).toEqual({ wallMs: 1_000, logical: 0, nodeId: 'n' });
  });
});

describe('HybridLogicalClock.now', () => {
  it('takes physical time when it has moved forward, with logical 0', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: scriptedClock([1_000, 1_005]) });
    expect(clock.now()).toEqual(stamp(1_000, 0, 'n'));
    expect(clock.now()).toEqual(stamp(1_005, 0, 'n'));
  });

  it('counts logically while physical time stands still', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(1_000) });
    clock.now();
    clock.now();
    expect(clock.now()).toEqual(stamp(1_000, 2, 'n'));
  });

  it('keeps its wall time and counts on when physical time goes back', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: scriptedClock([1_000, 400, 999]) });
    clock.now();
    expect(clock.now()).toEqual(stamp(1_000, 1, 'n'));
    expect(clock.now()).toEqual(stamp(1_000, 2, 'n'));
  });

  it('carries a logical overflow into the wall time instead of throwing', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(1_000) });
    for (let i = 0; i <= HLC_MAX_LOGICAL; i += 1) clock.now();
    expect(clock.peek()).toEqual(stamp(1_000, HLC_MAX_LOGICAL, 'n'));
    expect(clock.now()).toEqual(stamp(1_001, 0, 'n'));
    expect(clock.now()).toEqual(stamp(1_001, 1, 'n'));
  });

  it('throws LogicalOverflowError only when the wall time cannot absorb the carry', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(HLC_MAX_WALL_MS) });
    clock.receive(stamp(HLC_MAX_WALL_MS, HLC_MAX_LOGICAL - 1));
    expect(clock.peek()).toEqual(stamp(HLC_MAX_WALL_MS, HLC_MAX_LOGICAL, 'n'));
    expect(() => clock.now()).toThrow(LogicalOverflowError);
    expect(clock.peek()).toEqual(stamp(HLC_MAX_WALL_MS, HLC_MAX_LOGICAL, 'n'));
  });

  it('peek returns the last stamp without ticking', () => {
    const clock = new HybridLogicalClock({ nodeId: 'n', physicalClock: at(1_000) });
    const issued = clock.now();
    expect(clock.peek()).toEqual(issued);
    expect(clock.peek()).toEqual(issued);
  });
});

describe('HybridLogicalClock.receive', () => {
  const clockAt = (physical: number, maxOffsetMs = 500) =>
    new HybridLogicalClock({ nodeId: 'local', physicalClock: at(physical), maxOffsetMs });

  it('takes physical time when it is ahead of both clocks', () => {
    const clock = clockAt(2_000);
    expect(clock.receive(stamp(1_500, 7))).toEqual(stamp(2_000, 0, 'local'));
  });

  it('continues the remote counter when the remote wall time is ahead', () => {
    const clock = clockAt(1_000);
    clock.now();
    expect(clock.receive(stamp(1_200, 7))).toEqual(stamp(1_200, 8, 'local'));
  });

  it('continues its own counter when its own wall time is ahead', () => {
    const clock = new HybridLogicalClock({ nodeId: 'local', physicalClock: scriptedClock([1_300, 900]) });
    clock.now();
    expect(clock.receive(stamp(1_200, 7))).toEqual(stamp(1_300, 1, 'local'));
  });

  it('takes the larger counter plus one when both wall times are equal', () => {
    const clock = clockAt(1_000);
    clock.now();
    clock.now();
    expect(clock.receive(stamp(1_000, 7))).toEqual(stamp(1_000, 8, 'local'));
    expect(clock.receive(stamp(1_000, 3))).toEqual(stamp(1_000, 9, 'local'));
  });

  it('accepts the encoded form', () => {
    const clock = clockAt(1_000);
    expect(clock.receive(encodeHlc(stamp(1_200, 7)))).toEqual(stamp(1_200, 8, 'local'));
  });

  it('refuses a malformed encoded or object stamp with HlcParseError and keeps its state', () => {
    const clock = clockAt(1_000);
    const before = clock.now();
    expect(() => clock.receive('garbage')).toThrow(HlcParseError);
    expect(() => clock.receive(stamp(-5, 0))).toThrow(HlcParseError);
    expect(() => clock.receive({ wallMs: 1, logical: 0 } as HlcTimestamp)).toThrow('nodeId must be a string');
    expect(clock.peek()).toEqual(before);
    expect(clock.skewRejections).toBe(0);
  });

  it('carries a remote counter at its maximum into the wall time', () => {
    const clock = clockAt(1_000);
    expect(clock.receive(stamp(1_100, HLC_MAX_LOGICAL))).toEqual(stamp(1_101, 0, 'local'));
  });

  it('accepts a stamp exactly maxOffsetMs ahead', () => {
    expect(clockAt(1_000).receive(stamp(1_500, 0))).toEqual(stamp(1_500, 1, 'local'));
  });

  it('with maxOffsetMs 0 refuses any stamp ahead of physical time', () => {
    const clock = clockAt(1_000, 0);
    expect(clock.receive(stamp(1_000, 4))).toEqual(stamp(1_000, 5, 'local'));
    expect(() => clock.receive(stamp(1_001, 0))).toThrow(ClockSkewError);
  });

  it('refuses a stamp beyond maxOffsetMs: counts it, reports it, throws, and never adopts it', () => {
    const seen: ClockSkewError[] = [];
    const clock = new HybridLogicalClock({
      nodeId: 'local',
      physicalClock: at(1_000),
      onClockSkew: (e) => seen.push(e),
    });
    const before = clock.now();
    const far = stamp(1_501, 0, 'liar');

    const error = catchError(() => clock.receive(far));

    expect(error).toBeInstanceOf(ClockSkewError);
    const skew = error as ClockSkewError;
    expect(skew.remote).toEqual(far);
    expect(skew.physicalMs).toBe(1_000);
    expect(skew.maxOffsetMs).toBe(500);
    expect(seen).toEqual([skew]);
    expect(clock.skewRejections).toBe(1);
    expect(clock.peek()).toEqual(before);
    expect(clock.now()).toEqual(stamp(1_000, 1, 'local'));

    expect(() => clock.receive(encodeHlc(far))).toThrow(ClockSkewError);
    expect(clock.skewRejections).toBe(2);
  });

  it('still throws ClockSkewError when the onClockSkew observer itself throws', () => {
    const clock = new HybridLogicalClock({
      nodeId: 'local',
      physicalClock: at(1_000),
      onClockSkew: () => {
        throw new Error('observer broke');
      },
    });
    expect(() => clock.receive(stamp(9_000, 0))).toThrow(ClockSkewError);
    expect(clock.skewRejections).toBe(1);
  });

  it('orders the receive event after the remote stamp even when node ids would sort the other way', () => {
    const clock = new HybridLogicalClock({ nodeId: 'a', physicalClock: at(1_000) });
    const remote = stamp(1_000, 3, 'z');
    expect(encodeHlc(clock.receive(remote)) > encodeHlc(remote)).toBe(true);
  });
});

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}
