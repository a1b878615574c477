import type { HlcTimestamp } from './hlc-timestamp';

/** Base of every error this library throws, so callers can catch the whole family at once. */
export class HlcError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    // Keeps `instanceof` working for subclasses even when compiled to an older target.
    Object.setPrototypeOf(this, new.target.prototype);
  }
}

/**
 * A remote stamp was further ahead of local physical time than `maxOffsetMs` allows. Adopting it would
 * drag this clock (and everything it stamps afterwards) into the future, so it is refused instead.
 */
export class ClockSkewError extends HlcError {
  readonly remote: HlcTimestamp;
  readonly physicalMs: number;
  readonly maxOffsetMs: number;

  constructor(remote: HlcTimestamp, physicalMs: number, maxOffsetMs: number, options?: ErrorOptions) {
    super(
      `remote HLC stamp from node '${remote.nodeId}' is ${remote.wallMs - physicalMs} ms ahead of local ` +
        `physical time ${physicalMs} (wallMs ${remote.wallMs}, max offset ${maxOffsetMs} ms); refused`,
      options,
    );
    this.remote = remote;
    this.physicalMs = physicalMs;
    this.maxOffsetMs = maxOffsetMs;
  }
}

/** Input is not a valid HLC timestamp: a malformed encoded string, or a timestamp object out of range. */
export class HlcParseError extends HlcError {}

/**
 * The logical counter is exhausted and the wall part cannot absorb it either (wallMs already at the
 * maximum the encoding can carry). Only reachable with a broken physical clock or a hostile stamp.
 */
export class LogicalOverflowError extends HlcError {}
