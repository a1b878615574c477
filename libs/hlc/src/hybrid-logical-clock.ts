import { parseHlc } from './hlc-encoding';
import { ClockSkewError, HlcError, HlcParseError, LogicalOverflowError } from './hlc-errors';
import {
  HLC_MAX_LOGICAL,
  HLC_MAX_WALL_MS,
  type HlcTimestamp,
  nodeIdProblem,
  timestampProblem,
} from './hlc-timestamp';

/** Milliseconds since the epoch; fractional readings are floored. */
export type PhysicalClock = () => number;

export interface HlcOptions {
  /** Unique per clock (one per service instance); see HLC_NODE_ID_MAX_LENGTH for the allowed form. */
  nodeId: string;
  /** How far ahead of local physical time a remote stamp may be before it is refused. Default 500 ms. */
  maxOffsetMs?: number;
  /** Injectable for tests and simulations. Default `Date.now`. */
  physicalClock?: PhysicalClock;
  /** Observer for refused stamps (log, metric). Called before the ClockSkewError is thrown. */
  onClockSkew?: (e: ClockSkewError) => void;
}

/** CockroachDB's default maximum clock offset. */
export const DEFAULT_MAX_OFFSET_MS = 500;

/**
 * Hybrid Logical Clock (Kulkarni, Demirbas et al., "Logical Physical Clocks", 2014).
 *
 * Guarantees: stamps issued by one clock strictly increase, even when the physical clock goes back;
 * if event e happened before f (f's clock received e's stamp, directly or transitively) then
 * stamp(e) < stamp(f); wallMs never runs more than maxOffsetMs ahead of the local physical clock
 * because of a remote stamp. Not thread-safe across workers: keep one clock per process/worker.
 */
export class HybridLogicalClock {
  readonly nodeId: string;
  private readonly maxOffsetMs: number;
  private readonly physicalClock: PhysicalClock;
  private readonly onClockSkew: ((e: ClockSkewError) => void) | undefined;
  private wallMs = 0;
  private logical = 0;
  private refused = 0;

  constructor(options: HlcOptions) {
    const problem = nodeIdProblem(options.nodeId);
    if (problem !== undefined) throw new HlcError(`invalid HLC options: ${problem}`);
    const maxOffsetMs = options.maxOffsetMs ?? DEFAULT_MAX_OFFSET_MS;
    if (!Number.isFinite(maxOffsetMs) || maxOffsetMs < 0) {
      throw new HlcError(`invalid HLC options: maxOffsetMs must be a finite number >= 0, got ${maxOffsetMs}`);
    }
    this.nodeId = options.nodeId;
    this.maxOffsetMs = maxOffsetMs;
    this.physicalClock = options.physicalClock ?? Date.now;
    this.onClockSkew = options.onClockSkew;
  }

  /** How many remote stamps receive() refused because they were too far in the future. */
  get skewRejections(): number {
    return this.refused;
  }

  /** Stamps a local or send event. */
  now(): HlcTimestamp {
    const physical = this.readPhysical();
    if (physical > this.wallMs) {
      this.wallMs = physical;
      this.logical = 0;
    } else {
      this.advance(this.wallMs, this.logical + 1);
    }
    return this.peek();
  }

  /**
   * Merges a consumed stamp and returns the stamp of the receive event, which is greater than both
   * the remote stamp and every stamp this clock issued before. A stamp more than maxOffsetMs ahead of
   * local physical time is counted, reported to onClockSkew and refused with ClockSkewError; the
   * clock is left untouched.
   */
  receive(remote: HlcTimestamp | string): HlcTimestamp {
    const stamp = typeof remote === 'string' ? parseHlc(remote) : this.checked(remote);
    const physical = this.readPhysical();
    if (stamp.wallMs > physical + this.maxOffsetMs) this.refuse(stamp, physical);

    const wallMs = Math.max(this.wallMs, stamp.wallMs, physical);
    if (wallMs === this.wallMs && wallMs === stamp.wallMs) {
      this.advance(wallMs, Math.max(this.logical, stamp.logical) + 1);
    } else if (wallMs === this.wallMs) {
      this.advance(wallMs, this.logical + 1);
    } else if (wallMs === stamp.wallMs) {
      this.advance(wallMs, stamp.logical + 1);
    } else {
      this.wallMs = wallMs;
      this.logical = 0;
    }
    return this.peek();
  }

  /** The last stamp issued (wallMs 0, logical 0 before the first), without ticking. */
  peek(): HlcTimestamp {
    return { wallMs: this.wallMs, logical: this.logical, nodeId: this.nodeId };
  }

  /**
   * Sets the clock to (wallMs, logical), carrying a logical overflow into wallMs.
   *
   * Why carry instead of throwing: overflow means more than 65,536 stamps within one millisecond, or
   * a remote stamp already at the counter's maximum. Moving wallMs 1 ms ahead keeps every guarantee
   * (the result is still greater than everything before it), costs at most 1 ms of drift per 65,536
   * stamps, and never fails a publish on the hot path. Throwing would turn a burst of traffic into
   * lost events. LogicalOverflowError remains only for the unreachable-in-practice case where wallMs
   * itself is at the encoding's maximum (year 10889).
   */
  private advance(wallMs: number, logical: number): void {
    if (logical <= HLC_MAX_LOGICAL) {
      this.wallMs = wallMs;
      this.logical = logical;
      return;
    }
    if (wallMs >= HLC_MAX_WALL_MS) {
      throw new LogicalOverflowError(
        `HLC logical counter exhausted at the maximum wallMs ${HLC_MAX_WALL_MS}; cannot carry into wall time`,
      );
    }
    this.wallMs = wallMs + 1;
    this.logical = 0;
  }

  private refuse(stamp: HlcTimestamp, physical: number): never {
    this.refused += 1;
    const error = new ClockSkewError(stamp, physical, this.maxOffsetMs);
    try {
      this.onClockSkew?.(error);
    } catch {
      // The observer is for logging and metrics; its own failure must not change what the caller
      // sees, which is always the ClockSkewError.
    }
    throw error;
  }

  private checked(remote: HlcTimestamp): HlcTimestamp {
    const problem = timestampProblem(remote);
    if (problem !== undefined) throw new HlcParseError(`invalid remote HLC timestamp: ${problem}`);
    return remote;
  }

  private readPhysical(): number {
    const reading = this.physicalClock();
    if (!Number.isFinite(reading) || reading < 0 || reading > HLC_MAX_WALL_MS) {
      throw new HlcError(
        `physical clock returned ${reading}; expected ms since epoch in [0, ${HLC_MAX_WALL_MS}]`,
      );
    }
    return Math.floor(reading);
  }
}
