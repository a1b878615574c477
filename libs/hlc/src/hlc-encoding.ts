import { HlcError, HlcParseError } from './hlc-errors';
import {
  HLC_LOGICAL_HEX_DIGITS,
  HLC_NODE_ID_MAX_LENGTH,
  HLC_WALL_HEX_DIGITS,
  type HlcTimestamp,
  nodeIdProblem,
  timestampProblem,
} from './hlc-timestamp';

/**
 * Encoded layout: `<wallMs: 12 lowercase hex>-<logical: 4 lowercase hex>-<nodeId>`,
 * e.g. `018bcfe56800-0000-state-svc-1`.
 *
 * Every field before the node id has a fixed width and lowercase hex digits sort in numeric order, so
 * comparing two encodings byte by byte compares wallMs, then logical, then node id — exactly
 * `compareHlc`. Only lowercase is accepted: a second spelling of the same stamp would sort differently.
 */
const SEPARATOR = '-';
const PREFIX_LENGTH = HLC_WALL_HEX_DIGITS + 1 + HLC_LOGICAL_HEX_DIGITS + 1;
const EXPECTED_LAYOUT = `expected <${HLC_WALL_HEX_DIGITS} hex wallMs>-<${HLC_LOGICAL_HEX_DIGITS} hex logical>-<nodeId>`;
export const HLC_ENCODED_MAX_LENGTH = PREFIX_LENGTH + HLC_NODE_ID_MAX_LENGTH;
const ENCODED_PATTERN = new RegExp(
  `^([0-9a-f]{${HLC_WALL_HEX_DIGITS}})-([0-9a-f]{${HLC_LOGICAL_HEX_DIGITS}})-([A-Za-z0-9_-]{1,${HLC_NODE_ID_MAX_LENGTH}})$`,
);

export function encodeHlc(t: HlcTimestamp): string {
  const problem = timestampProblem(t);
  if (problem !== undefined) throw new HlcParseError(`cannot encode HLC timestamp: ${problem}`);
  return (
    t.wallMs.toString(16).padStart(HLC_WALL_HEX_DIGITS, '0') +
    SEPARATOR +
    t.logical.toString(16).padStart(HLC_LOGICAL_HEX_DIGITS, '0') +
    SEPARATOR +
    t.nodeId
  );
}

/** Strict inverse of `encodeHlc`: accepts exactly the strings it produces, nothing else. */
export function parseHlc(s: string): HlcTimestamp {
  // One regex on the hot path; the slower field-by-field diagnosis runs only for bad input.
  const match = typeof s === 'string' ? ENCODED_PATTERN.exec(s) : null;
  if (match === null) throw new HlcParseError(`invalid encoded HLC timestamp: ${diagnose(s)}`);
  const [, wallHex, logicalHex, nodeId] = match;
  if (wallHex === undefined || logicalHex === undefined || nodeId === undefined) {
    throw new HlcError('unreachable: HLC pattern matched without all of its groups');
  }
  return { wallMs: parseInt(wallHex, 16), logical: parseInt(logicalHex, 16), nodeId };
}

function diagnose(s: unknown): string {
  if (typeof s !== 'string') return `expected a string, got ${s === null ? 'null' : typeof s}`;
  if (s.length === 0) return `empty string; ${EXPECTED_LAYOUT}`;
  const shown = JSON.stringify(s.length > 100 ? `${s.slice(0, 100)}…` : s);
  const wall = s.slice(0, HLC_WALL_HEX_DIGITS);
  if (!isFixedHex(wall, HLC_WALL_HEX_DIGITS)) {
    return `${shown}: wallMs ${JSON.stringify(wall)} must be ${HLC_WALL_HEX_DIGITS} lowercase hex digits; ${EXPECTED_LAYOUT}`;
  }
  if (s[HLC_WALL_HEX_DIGITS] !== SEPARATOR) {
    return `${shown}: expected '-' after the ${HLC_WALL_HEX_DIGITS} wallMs digits; ${EXPECTED_LAYOUT}`;
  }
  const logical = s.slice(HLC_WALL_HEX_DIGITS + 1, PREFIX_LENGTH - 1);
  if (!isFixedHex(logical, HLC_LOGICAL_HEX_DIGITS)) {
    return `${shown}: logical ${JSON.stringify(logical)} must be ${HLC_LOGICAL_HEX_DIGITS} lowercase hex digits; ${EXPECTED_LAYOUT}`;
  }
  if (s[PREFIX_LENGTH - 1] !== SEPARATOR) {
    return `${shown}: expected '-' after the ${HLC_LOGICAL_HEX_DIGITS} logical digits; ${EXPECTED_LAYOUT}`;
  }
  return `${shown}: ${nodeIdProblem(s.slice(PREFIX_LENGTH)) ?? 'does not match the HLC layout'}`;
}

function isFixedHex(value: string, digits: number): boolean {
  return value.length === digits && /^[0-9a-f]+$/.test(value);
}
