/**
 * A client on the isolated side of a partition: run inside the cut replica's network namespace,
 * connected only to that namespace's nats-server, it puts unique values one after another and
 * prints each invocation and completion as a JSON line (wall-clock milliseconds, the clock the
 * chaos history uses). The harness kills it before the link is restored.
 *
 *   node -r @swc-node/register partition-probe-main.ts <nats-url> <namespace> <value-prefix> <key>...
 */
import { performance } from 'node:perf_hooks';
import { RequestClient } from '@kailash/backbone';
import { CoordinationClient } from '@kailash/coordination-client';
import { SubjectSpace } from '@kailash/contracts';
import { connect } from '@nats-io/transport-node';
import { REPLICA_API_KEY } from './replica-process';

const wallNow = () => performance.timeOrigin + performance.now();

async function main(): Promise<void> {
  const [url, namespace, prefix, ...keys] = process.argv.slice(2);
  if (!url || !namespace || !prefix || keys.length === 0)
    throw new Error('usage: <nats-url> <namespace> <prefix> <key>...');
  const nc = await connect({ servers: url, pingInterval: 1_000, maxReconnectAttempts: -1 });
  const client = new CoordinationClient(
    new RequestClient(nc, new SubjectSpace(namespace), { credential: REPLICA_API_KEY }),
    {
      retry: { attemptTimeoutMs: 500, deadlineMs: 1_500 },
    },
  );
  for (let n = 0; ; n++) {
    const key = keys[n % keys.length] as string;
    const value = `${prefix}-${n}`;
    const call = wallNow();
    console.log(JSON.stringify({ event: 'invoke', key, value, call }));
    try {
      await client.put(key, value);
      console.log(JSON.stringify({ event: 'ok', key, value, call, ret: wallNow() }));
    } catch (error) {
      console.log(JSON.stringify({ event: 'error', key, value, call, error: String(error).slice(0, 200) }));
    }
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
