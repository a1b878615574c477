import { SubjectSpace } from '@kailash/contracts';
import { connectTestNats, deleteStreamsWithPrefix, uniqueName } from '@kailash/testing';
import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { nanos } from '@nats-io/transport-node';
import {
  createStreamIfMissing,
  deadLetterStreamSpec,
  domainStreamSpec,
  ensureStream,
  StreamMissingError,
  waitForStream,
} from './stream-setup';

describe('stream ownership on a real NATS server', () => {
  const namespace = uniqueName('so');
  const subjects = new SubjectSpace(namespace);
  let nc: NatsConnection;
  let jsm: JetStreamManager;

  beforeAll(async () => {
    nc = await connectTestNats(namespace);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await deleteStreamsWithPrefix(jsm, namespace.toUpperCase());
    await nc.close();
  });

  it('lets the owner create its stream and bring a differing config back to its spec', async () => {
    const spec = domainStreamSpec(subjects, 'owned');
    await ensureStream(jsm, spec);
    await jsm.streams.update(spec.name, { ...spec, max_msg_size: 2048 });
    await ensureStream(jsm, spec);
    expect((await jsm.streams.info(spec.name)).config.max_msg_size).toBe(spec.max_msg_size);
  });

  it('creates a shared stream if missing, and never rewrites one configured otherwise', async () => {
    const spec = deadLetterStreamSpec(subjects);
    expect(await createStreamIfMissing(jsm, spec)).toEqual({ created: true, differences: [] });
    const otherAge = nanos(3600_000);
    await jsm.streams.update(spec.name, { ...spec, max_age: otherAge });
    expect(await createStreamIfMissing(jsm, spec)).toEqual({ created: false, differences: ['max_age'] });
    expect((await jsm.streams.info(spec.name)).config.max_age).toBe(otherAge);
  });

  it('waits for a stream that appears later, and never creates it', async () => {
    const spec = domainStreamSpec(subjects, 'later');
    const waited: number[] = [];
    const wait = waitForStream(jsm, spec.name, {
      timeoutMs: 20_000,
      pollMs: 20,
      onWaiting: (ms) => waited.push(ms),
    });
    await new Promise((resolve) => setImmediate(resolve));
    // Still absent while the consumer waits: only its writer creates it.
    await expect(jsm.streams.info(spec.name)).rejects.toThrow(/stream not found/);
    await ensureStream(jsm, spec);
    await expect(wait).resolves.toBeUndefined();
    expect(waited.length).toBeGreaterThan(0);
  });

  it('gives up at the bound with an error naming the stream (time injected, nothing slept)', async () => {
    let now = 0;
    const clock = { now: () => now, sleep: async (ms: number) => void (now += ms) };
    const name = subjects.stream('never');
    const failure = waitForStream(jsm, name, { timeoutMs: 60_000, pollMs: 5_000, clock });
    await expect(failure).rejects.toThrow(StreamMissingError);
    await expect(failure).rejects.toThrow(new RegExp(`stream ${name} does not exist after waiting 60000 ms`));
  });

  it('takes a failed look (a JetStream timeout) for "not yet", and keeps waiting', async () => {
    const spec = domainStreamSpec(subjects, 'flaky');
    await ensureStream(jsm, spec);
    let failures = 1;
    const flaky = {
      streams: {
        info: (name: string) =>
          failures-- > 0 ? Promise.reject(new Error('timeout')) : jsm.streams.info(name),
      },
    } as unknown as JetStreamManager;
    await expect(waitForStream(flaky, spec.name, { timeoutMs: 20_000, pollMs: 10 })).resolves.toBeUndefined();
    expect(failures).toBeLessThan(0);
  });

  it('stops waiting when told to', async () => {
    const stop = new AbortController();
    const wait = waitForStream(jsm, subjects.stream('aborted'), {
      timeoutMs: 60_000,
      pollMs: 50,
      signal: stop.signal,
    });
    stop.abort();
    await expect(wait).rejects.toThrow(/abort/i);
  });
});
