import { Packr } from 'msgpackr';
import type { Message } from '../core/types';
import { decodeMessages, encodeMessages, WireFormatError } from './message-codec';

const append: Message = {
  type: 'app',
  from: 1,
  to: 2,
  term: 3,
  logTerm: 2,
  index: 10,
  commit: 9,
  entries: [
    { term: 3, index: 11, type: 'normal', data: new Uint8Array([1, 2, 3]) },
    { term: 3, index: 12, type: 'conf-change', data: new Uint8Array([]) },
  ],
};
const chunk: Message = {
  type: 'snap',
  from: 1,
  to: 3,
  term: 3,
  chunk: {
    metadata: { index: 40, term: 3, confState: { voters: [1, 2, 3], learners: [4] } },
    offset: 0,
    totalSize: 5,
    data: new Uint8Array([9, 8, 7, 6, 5]),
  },
};
const raw = new Packr({ useRecords: false });

describe('the Raft wire codec', () => {
  it('round-trips a batch of messages with entries and a snapshot chunk, bytes as bytes', () => {
    const decoded = decodeMessages(
      encodeMessages([append, chunk, { type: 'heartbeat-resp', from: 2, to: 1, term: 3 }]),
    );
    expect(decoded).toHaveLength(3);
    expect(decoded[0]).toMatchObject({ type: 'app', index: 10, commit: 9 });
    expect(Array.from(decoded[0]?.entries?.[0]?.data ?? [])).toEqual([1, 2, 3]);
    expect(decoded[1]?.chunk?.metadata.confState).toEqual({ voters: [1, 2, 3], learners: [4] });
    expect(Array.from(decoded[1]?.chunk?.data ?? [])).toEqual([9, 8, 7, 6, 5]);
  });

  it('is smaller than JSON for entries with binary payloads', () => {
    const big: Message = {
      ...append,
      entries: [{ term: 3, index: 11, type: 'normal', data: new Uint8Array(512).fill(7) }],
    };
    const json = JSON.stringify({
      ...big,
      entries: big.entries?.map((e) => ({ ...e, data: Buffer.from(e.data).toString('base64') })),
    });
    expect(encodeMessages([big]).length).toBeLessThan(Buffer.byteLength(json));
  });

  it.each([
    ['not MessagePack', new Uint8Array([0xc1])],
    ['not an array', raw.pack({ type: 'app' })],
    ['a local message type', raw.pack([{ type: 'hup', from: 1, to: 2, term: 1 }])],
    ['an unknown type', raw.pack([{ type: 'gossip', from: 1, to: 2, term: 1 }])],
    ['a negative term', raw.pack([{ type: 'heartbeat', from: 1, to: 2, term: -1 }])],
    [
      'entry data that is not bytes',
      raw.pack([{ ...append, entries: [{ term: 1, index: 1, type: 'normal', data: 'x' }] }]),
    ],
    [
      'a chunk without its configuration',
      raw.pack([{ ...chunk, chunk: { ...chunk.chunk, metadata: { index: 1, term: 1 } } }]),
    ],
  ])('refuses a batch with %s, naming what is wrong', (_, bytes) => {
    expect(() => decodeMessages(bytes)).toThrow(WireFormatError);
  });
});
