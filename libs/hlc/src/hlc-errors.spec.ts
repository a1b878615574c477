import { ClockSkewError, HlcError, HlcParseError, LogicalOverflowError } from './hlc-errors';

describe('HLC errors', () => {
  it.each([
    ['HlcError', HlcError],
    ['HlcParseError', HlcParseError],
    ['LogicalOverflowError', LogicalOverflowError],
  ])('%s carries its name, message and cause and is an HlcError', (name, ErrorClass) => {
    const cause = new Error('root');
    const error = new ErrorClass('boom', { cause });
    expect(error).toBeInstanceOf(HlcError);
    expect(error).toBeInstanceOf(ErrorClass);
    expect(error.name).toBe(name);
    expect(error.message).toBe('boom');
    expect(error.cause).toBe(cause);
  });

  it('ClockSkewError exposes the refused stamp, the physical time and the limit', () => {
    const remote = { wallMs: 2_000, logical: 3, nodeId: 'far' };
    const error = new ClockSkewError(remote, 1_000, 500);
    expect(error).toBeInstanceOf(HlcError);
    expect(error.name).toBe('ClockSkewError');
    expect(error.remote).toBe(remote);
    expect(error.physicalMs).toBe(1_000);
    expect(error.maxOffsetMs).toBe(500);
    expect(error.message).toContain("node 'far' is 1000 ms ahead");
  });
});
