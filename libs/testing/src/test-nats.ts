import type { JetStreamManager } from '@nats-io/jetstream';
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { connect } from '@nats-io/transport-node';
import { testNatsUrl } from './environment';

export async function connectTestNats(name = 'test'): Promise<NatsConnection> {
  return connect({ servers: testNatsUrl(), name });
}

/** Deletes every stream of a test namespace, so runs leave nothing behind on the shared server. */
export async function deleteStreamsWithPrefix(jsm: JetStreamManager, prefix: string): Promise<void> {
  const names: string[] = [];
  for await (const name of jsm.streams.names()) if (name.startsWith(prefix)) names.push(name);
  await Promise.all(names.map((name) => jsm.streams.delete(name)));
}

export async function testJetStreamManager(nc: NatsConnection): Promise<JetStreamManager> {
  return jetstreamManager(nc);
}

/** Polls until the condition holds or the deadline passes; the failure message says what was awaited. */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T = await probe();
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}; last value ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await probe();
  }
  return last;
}
