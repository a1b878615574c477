import { Agent, request } from 'node:http';
import type { RequestClient } from '@kailash/backbone';
import { IncrementStateValue } from '@kailash/contracts';
import { percentile } from '../report';

/** One way to send an increment: REST or NATS request/reply; true when acknowledged. */
export type Increment = (objectId: string) => Promise<boolean>;

/** Why requests failed (HTTP status or error code), counted per transport. */
export const failures = new Map<string, number>();
const failed = (why: string) => (failures.set(why, (failures.get(why) ?? 0) + 1), false);

/**
 * REST over a bounded pool of keep-alive connections, as a load balancer or an SDK would hold them:
 * requests beyond the pool queue in the client (and that queueing counts in the latency).
 */
export const overRest = (url: string, key: string, connections = 64): Increment => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const body = '{"by":1}';
  return (objectId) =>
    new Promise<boolean>((resolve) => {
      const req = request(
        `${url}/state-objects/${objectId}/keys/n/increment`,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'content-length': body.length,
            authorization: `Bearer ${key}`,
          },
        },
        (response) => {
          response.resume();
          response.on('end', () =>
            resolve(response.statusCode === 200 || failed(`REST ${response.statusCode}`)),
          );
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => resolve(failed(`REST ${error.code ?? 'error'}`)));
      req.end(body);
    });
};

export const overNats =
  (client: RequestClient): Increment =>
  async (objectId) => {
    try {
      await client.send(IncrementStateValue, { objectId, key: 'n', by: 1 });
      return true;
    } catch (error) {
      return failed(`NATS ${(error as { code?: string }).code ?? 'error'}`);
    }
  };

export interface Figures {
  readonly sent: number;
  readonly ok: number;
  readonly seconds: number;
  readonly p50: number;
  readonly p99: number;
}

const timed = async (work: () => Promise<boolean>, latencies: number[]) => {
  const start = performance.now();
  const ok = await work();
  latencies.push(performance.now() - start);
  return ok;
};

const figuresOf = (latencies: number[], ok: number, seconds: number): Figures => ({
  sent: latencies.length,
  ok,
  seconds,
  p50: percentile(latencies, 50),
  p99: percentile(latencies, 99),
});

/**
 * Open loop: `rate` commands per second on distinct aggregates, sent on schedule whatever the replies
 * do (a closed loop would hide queueing by slowing down with the server). Latency is from send to reply.
 */
export async function steadyRate(
  increment: Increment,
  prefix: string,
  rate: number,
  seconds: number,
): Promise<Figures> {
  const latencies: number[] = [];
  const inFlight: Promise<void>[] = [];
  let ok = 0;
  let sent = 0;
  const total = rate * seconds;
  const start = performance.now();
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
    for (; sent < due; sent++)
      inFlight.push(
        timed(() => increment(`${prefix}-${sent}`), latencies).then((s) => void (ok += Number(s))),
      );
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(inFlight);
  return figuresOf(latencies, ok, (performance.now() - start) / 1000);
}

/** Closed loop: `clients` callers, each sending its next increment on one object as soon as the last is answered. */
export async function hotObject(
  increment: Increment,
  objectId: string,
  clients: number,
  seconds: number,
): Promise<Figures> {
  const latencies: number[] = [];
  let ok = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < until) {
        const acked = await timed(() => increment(objectId), latencies);
        if (acked) ok++;
      }
    }),
  );
  return figuresOf(latencies, ok, (performance.now() - start) / 1000);
}
