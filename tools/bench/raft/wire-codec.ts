import type { Message } from '@kailash/raft';
import { decodeMessages, encodeMessages } from '@kailash/raft';

/**
 * The Raft peer wire codec (MessagePack, bytes as bytes) against JSON with base64 payloads, the
 * obvious alternative, on the batches a replica sends: heartbeats, appends of client writes, and an
 * InstallSnapshot chunk. Both sides encode then decode; the figures are per batch.
 */
const proposal = new Uint8Array(120).fill(42);
const BATCHES: Record<string, Message[]> = {
  'heartbeats ×2': [
    { type: 'heartbeat', from: 1, to: 2, term: 7, commit: 1200 },
    { type: 'heartbeat', from: 1, to: 2, term: 7, commit: 1201, context: 'r1' },
  ],
  'append of 16 writes': [
    {
      type: 'app',
      from: 1,
      to: 2,
      term: 7,
      logTerm: 7,
      index: 1200,
      commit: 1199,
      entries: Array.from({ length: 16 }, (_, i) => ({
        term: 7,
        index: 1201 + i,
        type: 'normal',
        data: proposal,
      })),
    },
  ],
  'snapshot chunk 256 KiB': [
    {
      type: 'snap',
      from: 1,
      to: 3,
      term: 7,
      chunk: {
        metadata: { index: 5000, term: 7, confState: { voters: [1, 2, 3], learners: [] } },
        offset: 0,
        totalSize: 1 << 20,
        data: new Uint8Array(256 * 1024).fill(3),
      },
    },
  ],
};

const toJson = (messages: readonly Message[]): string =>
  JSON.stringify(messages, (_key, value: unknown) =>
    value instanceof Uint8Array ? { b64: Buffer.from(value).toString('base64') } : value,
  );
const fromJson = (text: string): Message[] =>
  JSON.parse(text, (_key, value: unknown) =>
    value && typeof value === 'object' && 'b64' in value
      ? new Uint8Array(Buffer.from((value as { b64: string }).b64, 'base64'))
      : value,
  ) as Message[];

function measure(run: () => number, seconds: number): { perSecond: number; bytes: number } {
  let bytes = run();
  for (let i = 0; i < 200; i++) run();
  let count = 0;
  const start = process.hrtime.bigint();
  const budget = BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() - start < budget) {
    bytes = run();
    count++;
  }
  return { perSecond: count / (Number(process.hrtime.bigint() - start) / 1e9), bytes };
}

const seconds = Number(process.env['BENCH_SECONDS'] ?? 1);
console.log(`| batch | msgpack bytes | JSON bytes | msgpack round trips/s | JSON round trips/s |`);
console.log(`|---|---:|---:|---:|---:|`);
for (const [label, batch] of Object.entries(BATCHES)) {
  const packed = measure(
    () => decodeMessages(encodeMessages(batch)).length && encodeMessages(batch).length,
    seconds,
  );
  const json = measure(() => fromJson(toJson(batch)).length && Buffer.byteLength(toJson(batch)), seconds);
  console.log(
    `| ${label} | ${packed.bytes} | ${json.bytes} | ${Math.round(packed.perSecond).toLocaleString('en')} | ${Math.round(json.perSecond).toLocaleString('en')} |`,
  );
}
