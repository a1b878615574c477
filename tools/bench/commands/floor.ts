import type { JetStreamClient } from '@nats-io/jetstream';
import type { Figures } from './workload';
import { percentile } from '../report';

/**
 * The floor under every command on one aggregate: a bare JetStream publish that expects the
 * subject's last sequence, and its ack, one after the other (each append must know the one before).
 */
export async function expectedSequenceFloor(
  js: JetStreamClient,
  subject: string,
  seconds: number,
): Promise<Figures> {
  const latencies: number[] = [];
  let last = 0;
  const start = performance.now();
  const until = start + seconds * 1000;
  while (performance.now() < until) {
    const sent = performance.now();
    const ack = await js.publish(subject, '{"by":1}', { expect: { lastSubjectSequence: last } });
    latencies.push(performance.now() - sent);
    last = ack.seq;
  }
  return {
    sent: latencies.length,
    ok: latencies.length,
    seconds: (performance.now() - start) / 1000,
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}
