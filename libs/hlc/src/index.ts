export {
  compareHlc,
  HLC_LOGICAL_HEX_DIGITS,
  HLC_MAX_LOGICAL,
  HLC_MAX_WALL_MS,
  HLC_NODE_ID_MAX_LENGTH,
  HLC_WALL_HEX_DIGITS,
  type HlcTimestamp,
} from './hlc-timestamp';
export { encodeHlc, HLC_ENCODED_MAX_LENGTH, parseHlc } from './hlc-encoding';
export {
  DEFAULT_MAX_OFFSET_MS,
  HybridLogicalClock,
  type HlcOptions,
  type PhysicalClock,
} from './hybrid-logical-clock';
export { ClockSkewError, HlcError, HlcParseError, LogicalOverflowError } from './hlc-errors';
