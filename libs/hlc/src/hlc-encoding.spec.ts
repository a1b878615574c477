import { encodeHlc, HLC_ENCODED_MAX_LENGTH, parseHlc } from './hlc-encoding';
import { HlcError, HlcParseError } from './hlc-errors';
import { HLC_MAX_LOGICAL, HLC_MAX_WALL_MS } from './hlc-timestamp';

describe('encodeHlc', () => {
  it('writes 12 hex digits of wall time, 4 of logical counter, then the node id', () => {
    expect(encodeHlc({ wallMs: 1_700_000_000_000, logical: 10, nodeId: 'state-svc-1' })).toBe(
      '018bcfe56800-000a-state-svc-1',
    );
  });

  it('pads the smallest stamp and fills the largest', () => {
    expect(encodeHlc({ wallMs: 0, logical: 0, nodeId: 'a' })).toBe('000000000000-0000-a');
    expect(encodeHlc({ wallMs: HLC_MAX_WALL_MS, logical: HLC_MAX_LOGICAL, nodeId: 'a' })).toBe(
      'ffffffffffff-ffff-a',
    );
  });

  it('covers wall times far beyond the year 2200', () => {
    const year2200 = Date.UTC(2200, 0, 1);
    expect(parseHlc(encodeHlc({ wallMs: year2200, logical: 0, nodeId: 'a' })).wallMs).toBe(year2200);
  });

  it('bounds the encoded length', () => {
    expect(encodeHlc({ wallMs: 1, logical: 1, nodeId: 'n'.repeat(64) })).toHaveLength(HLC_ENCODED_MAX_LENGTH);
    expect(HLC_ENCODED_MAX_LENGTH).toBe(82);
  });

  it.each([
    [{ wallMs: -1, logical: 0, nodeId: 'a' }, 'wallMs must be an integer'],
    [{ wallMs: HLC_MAX_WALL_MS + 1, logical: 0, nodeId: 'a' }, 'wallMs must be an integer'],
    [{ wallMs: 1, logical: HLC_MAX_LOGICAL + 1, nodeId: 'a' }, 'logical must be an integer'],
    [{ wallMs: 1, logical: 0, nodeId: 'a.b' }, 'may only contain'],
  ])('refuses a timestamp it could not parse back: %p', (t, message) => {
    expect(() => encodeHlc(t)).toThrow(HlcParseError);
    expect(() => encodeHlc(t)).toThrow(message);
  });
});

describe('parseHlc', () => {
  it('reads back what encodeHlc wrote', () => {
    expect(parseHlc('018bcfe56800-000a-state-svc-1')).toEqual({
      wallMs: 1_700_000_000_000,
      logical: 10,
      nodeId: 'state-svc-1',
    });
  });

  it.each([
    ['non-string number', 42, 'expected a string, got number'],
    ['non-string null', null, 'expected a string, got null'],
    ['non-string object', { wallMs: 1 }, 'expected a string, got object'],
    ['empty string', '', 'empty string; expected <12 hex wallMs>-<4 hex logical>-<nodeId>'],
    ['empty node id', '018bcfe56800-000a-', 'nodeId must not be empty'],
    ['wall too short', '18bcfe56800-000a-n', 'wallMs "18bcfe56800-" must be 12 lowercase hex digits'],
    ['wall too long', '0018bcfe56800-000a-n', "expected '-' after the 12 wallMs digits"],
    ['wall not hex', '018bcfe5680g-000a-n', 'wallMs "018bcfe5680g" must be 12 lowercase hex digits'],
    ['wall uppercase', '018BCFE56800-000a-n', 'must be 12 lowercase hex digits'],
    ['logical too short', '018bcfe56800-00a-n', 'logical "00a-" must be 4 lowercase hex digits'],
    ['logical too long', '018bcfe56800-0000a-n', "expected '-' after the 4 logical digits"],
    ['logical uppercase', '018bcfe56800-000A-n', 'logical "000A" must be 4 lowercase hex digits'],
    ['wrong separator', '018bcfe56800_000a-n', "expected '-' after the 12 wallMs digits"],
    ['node id with a dot', '018bcfe56800-000a-a.b', 'may only contain A-Z a-z 0-9 _ -'],
    ['node id with a space', '018bcfe56800-000a-a b', 'may only contain'],
    ['node id with a NATS wildcard', '018bcfe56800-000a-a>', 'may only contain'],
    ['node id too long', `018bcfe56800-000a-${'n'.repeat(65)}`, 'at most 64 characters'],
    ['trailing newline', '018bcfe56800-000a-n\n', 'may only contain'],
    ['leading space', ' 018bcfe56800-000a-n', 'must be 12 lowercase hex digits'],
    ['something else entirely', 'not-a-clock', 'wallMs "not-a-clock" must be 12 lowercase hex digits'],
    ['cut short', '018bcfe56800', "expected '-' after the 12 wallMs digits"],
  ])('rejects %s with a clear message', (_label, input, message) => {
    expect(() => parseHlc(input as string)).toThrow(HlcParseError);
    expect(() => parseHlc(input as string)).toThrow(message);
  });

  it('shortens huge input in the message', () => {
    const error = catchError(() => parseHlc('x'.repeat(10_000)));
    expect(error).toBeInstanceOf(HlcError);
    expect(error.message.length).toBeLessThan(300);
  });
});

function catchError(fn: () => unknown): Error {
  try {
    fn();
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a throw');
}
