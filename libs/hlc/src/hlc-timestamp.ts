/**
 * One HLC reading: `wallMs` tracks the largest physical time seen (ms since epoch), `logical` orders
 * events that share a `wallMs`, `nodeId` breaks the remaining ties so that distinct nodes never produce
 * equal stamps.
 */
export interface HlcTimestamp {
  readonly wallMs: number;
  readonly logical: number;
  readonly nodeId: string;
}

/** 48 bits of milliseconds (paper §6.2): 12 hex digits, enough until the year 10889. */
export const HLC_WALL_HEX_DIGITS = 12;
export const HLC_MAX_WALL_MS = 2 ** 48 - 1;

/** 16 bits of logical counter (paper §6.2): 4 hex digits, 65,536 stamps per millisecond. */
export const HLC_LOGICAL_HEX_DIGITS = 4;
export const HLC_MAX_LOGICAL = 2 ** 16 - 1;

/**
 * Node ids are appended last in the encoding, so they may only use characters that keep byte order
 * meaningful, cannot be confused with the fixed-width fields, and are safe in NATS subjects and headers.
 */
export const HLC_NODE_ID_MAX_LENGTH = 64;
const NODE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** Describes what is wrong with a node id, or returns undefined when it is valid. */
export function nodeIdProblem(nodeId: unknown): string | undefined {
  if (typeof nodeId !== 'string') return `nodeId must be a string, got ${typeof nodeId}`;
  if (nodeId.length === 0) return 'nodeId must not be empty';
  if (nodeId.length > HLC_NODE_ID_MAX_LENGTH) {
    return `nodeId must be at most ${HLC_NODE_ID_MAX_LENGTH} characters, got ${nodeId.length}`;
  }
  if (!NODE_ID_PATTERN.test(nodeId)) {
    return `nodeId '${nodeId}' may only contain A-Z a-z 0-9 _ -`;
  }
  return undefined;
}

/** Describes what is wrong with a timestamp object (which may come from untrusted JSON), or undefined. */
export function timestampProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null)
    return `expected an HLC timestamp object, got ${describe(value)}`;
  const { wallMs, logical, nodeId } = value as Record<string, unknown>;
  if (!isIntegerInRange(wallMs, HLC_MAX_WALL_MS)) {
    return `wallMs must be an integer in [0, ${HLC_MAX_WALL_MS}], got ${describe(wallMs)}`;
  }
  if (!isIntegerInRange(logical, HLC_MAX_LOGICAL)) {
    return `logical must be an integer in [0, ${HLC_MAX_LOGICAL}], got ${describe(logical)}`;
  }
  return nodeIdProblem(nodeId);
}

/**
 * Total order: wall time, then logical counter, then node id by UTF-16 code unit (the same order as
 * comparing the encoded strings with `<`). Returns -1, 0 or 1.
 */
export function compareHlc(a: HlcTimestamp, b: HlcTimestamp): number {
  if (a.wallMs !== b.wallMs) return a.wallMs < b.wallMs ? -1 : 1;
  if (a.logical !== b.logical) return a.logical < b.logical ? -1 : 1;
  if (a.nodeId === b.nodeId) return 0;
  return a.nodeId < b.nodeId ? -1 : 1;
}

function isIntegerInRange(value: unknown, max: number): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= max;
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === null) return 'null';
  if (typeof value === 'object' || typeof value === 'function') return typeof value;
  return `${typeof value} ${String(value)}`;
}
