import {
  compareHlc,
  HLC_MAX_LOGICAL,
  HLC_MAX_WALL_MS,
  nodeIdProblem,
  timestampProblem,
} from './hlc-timestamp';

const stamp = (wallMs: number, logical: number, nodeId = 'n') => ({ wallMs, logical, nodeId });

describe('compareHlc', () => {
  it('orders by wall time first', () => {
    expect(compareHlc(stamp(1, 9, 'z'), stamp(2, 0, 'a'))).toBe(-1);
    expect(compareHlc(stamp(2, 0, 'a'), stamp(1, 9, 'z'))).toBe(1);
  });

  it('then by logical counter', () => {
    expect(compareHlc(stamp(5, 1, 'z'), stamp(5, 2, 'a'))).toBe(-1);
  });

  it('then by node id in code-unit order, a prefix sorting first', () => {
    expect(compareHlc(stamp(5, 1, 'a'), stamp(5, 1, 'b'))).toBe(-1);
    expect(compareHlc(stamp(5, 1, 'a'), stamp(5, 1, 'a-'))).toBe(-1);
    expect(compareHlc(stamp(5, 1, 'Z'), stamp(5, 1, 'a'))).toBe(-1);
  });

  it('is zero only for equal stamps', () => {
    expect(compareHlc(stamp(5, 1, 'a'), stamp(5, 1, 'a'))).toBe(0);
  });
});

describe('nodeIdProblem', () => {
  it.each(['a', 'state-svc-1', 'A_b-9', 'x'.repeat(64)])('accepts %p', (id) => {
    expect(nodeIdProblem(id)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    ['x'.repeat(65), 'at most 64 characters'],
    ['a.b', 'may only contain'],
    ['a b', 'may only contain'],
    ['a*', 'may only contain'],
    ['a>', 'may only contain'],
    ['é', 'may only contain'],
    [42, 'must be a string'],
  ])('rejects %p: %s', (id, message) => {
    expect(nodeIdProblem(id)).toContain(message);
  });
});

describe('timestampProblem', () => {
  it('accepts the extremes of every field', () => {
    expect(timestampProblem(stamp(0, 0))).toBeUndefined();
    expect(timestampProblem(stamp(HLC_MAX_WALL_MS, HLC_MAX_LOGICAL))).toBeUndefined();
  });

  it.each([
    [null, 'expected an HLC timestamp object, got null'],
    ['x', 'expected an HLC timestamp object, got "x"'],
    [stamp(-1, 0), 'wallMs must be an integer'],
    [stamp(1.5, 0), 'wallMs must be an integer'],
    [stamp(HLC_MAX_WALL_MS + 1, 0), 'wallMs must be an integer'],
    [stamp(Number.NaN, 0), 'wallMs must be an integer'],
    [{ wallMs: '1', logical: 0, nodeId: 'n' }, 'wallMs must be an integer in [0, 281474976710655], got "1"'],
    [stamp(1, -1), 'logical must be an integer'],
    [stamp(1, HLC_MAX_LOGICAL + 1), 'logical must be an integer'],
    [stamp(1, 0, ''), 'nodeId must not be empty'],
  ])('rejects %p', (value, message) => {
    expect(timestampProblem(value)).toContain(message);
  });
});
