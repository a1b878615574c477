import type { ChaosOperation } from './history';
import { lostAcknowledgedWrites } from './lost-writes';

const put = (value: string, call: number, ret: number): ChaosOperation => ({
  clientId: 0,
  input: { op: 'put', key: 'x', value },
  output: {},
  call,
  ret,
});

describe('lostAcknowledgedWrites', () => {
  it('names an acknowledged write that began after the surviving one had completed', () => {
    const history = [put('a', 0, 1), put('b', 2, 3)];
    expect(lostAcknowledgedWrites(history, new Map([['x', 'a']]))).toEqual([
      { key: 'x', value: 'b', acknowledgedAt: 3, finalValue: 'a' },
    ]);
  });

  it('accepts either survivor of two concurrent writes, and ignores unacknowledged ones', () => {
    const history = [put('a', 0, 5), put('b', 1, 4), { ...put('c', 6, Infinity), output: undefined }];
    expect(lostAcknowledgedWrites(history, new Map([['x', 'a']]))).toEqual([]);
    expect(lostAcknowledgedWrites(history, new Map([['x', 'b']]))).toEqual([]);
  });

  it('counts every acknowledged write as lost when the key reads as never written', () => {
    expect(lostAcknowledgedWrites([put('a', 0, 1)], new Map([['x', null]]))).toHaveLength(1);
  });
});
