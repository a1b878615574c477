import { encodeHlc, HybridLogicalClock } from '@kailash/hlc';
import { machineLine, percentile, writeBenchSection } from '../report';
import { projectionRate, rawConsumerRate } from './catch-up';
import { endToEndLatencies } from './latency';
import { openBenchEnv, publishBacklog } from './setup';

const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 100_000);
const BATCH_ONE_EVENTS = Number(process.env['BENCH_BATCH_ONE_EVENTS'] ?? 20_000);
const RATE = 1000;
const LATENCY_SECONDS = 20;
const WARMUP_SECONDS = 2;

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

function hlcStampsPerSecond(): number {
  const clock = new HybridLogicalClock({ nodeId: 'bench' });
  let stamps = 0;
  const until = performance.now() + 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 1000; i++) encodeHlc(clock.now());
    stamps += 1000;
  }
  return stamps;
}

async function main(): Promise<void> {
  const command = 'npm run bench:pipeline';
  const catchUp = await openBenchEnv();
  const rows: string[] = [];
  const verdicts: string[] = [];
  try {
    console.log(`publishing a backlog of ${BACKLOG} events`);
    const publishStart = performance.now();
    const last = await publishBacklog(catchUp, BACKLOG);
    const publishRate = BACKLOG / ((performance.now() - publishStart) / 1000);
    const firstSeq = last - BACKLOG + 1;

    for (const batch of [1, 100, 500]) {
      const count = batch === 1 ? Math.min(BATCH_ONE_EVENTS, BACKLOG) : BACKLOG;
      const raw = await rawConsumerRate(catchUp, count, batch);
      const projected = await projectionRate(catchUp, count, firstSeq + count - 1, batch);
      console.log(`batch ${batch}: projected ${fmt(projected)}/s, raw ${fmt(raw)}/s`);
      rows.push(
        `| ${batch} | ${fmt(count)} | ${fmt(projected)} | ${fmt(raw)} | ${((100 * projected) / raw).toFixed(0)} % |`,
      );
      const met = projected >= 10_000 && projected >= 0.4 * raw;
      verdicts.push(`batch ${batch}: ${met ? 'met' : 'not met'}`);
    }
    rows.push('', `Backlog published at ${fmt(publishRate)} events/s (1,000 acks outstanding).`);
  } finally {
    await catchUp.close();
  }

  const live = await openBenchEnv();
  let latencies: number[];
  try {
    latencies = await endToEndLatencies(live, RATE, LATENCY_SECONDS, WARMUP_SECONDS);
  } finally {
    await live.close();
  }
  const stamps = hlcStampsPerSecond();
  const p = (q: number) => percentile(latencies, q).toFixed(1);
  console.log(`latency p50 ${p(50)} ms p99 ${p(99)} ms; hlc ${fmt(stamps)}/s`);

  writeBenchSection(
    'pipeline',
    `## Event pipeline (libs/backbone)

${machineLine(command)}

Catch-up projection from a backlog in one stream: durable pull consumer → batch applied with one
multi-row INSERT and the checkpoint in one PostgreSQL transaction → ack. The baseline is a bare
JetStream pull consumer over the same backlog that only acks, measured in the same run with the same
batch (max_ack_pending = 2 × batch). Batch size 1 runs over the first ${fmt(Math.min(BATCH_ONE_EVENTS, BACKLOG))}
events of the backlog (one transaction per event; the full backlog would take minutes and says nothing more).

| batch | events | projected events/s | raw ack-only events/s | projected / raw |
|---:|---:|---:|---:|---:|
${rows.join('\n')}

End-to-end latency, publish → projection committed, at a steady ${fmt(RATE)} events/s for ${LATENCY_SECONDS} s
(first ${WARMUP_SECONDS} s dropped as warm-up), batch ≤ 500: **p50 ${p(50)} ms, p99 ${p(99)} ms, max ${percentile(latencies, 100).toFixed(1)} ms**
over ${fmt(latencies.length)} events.

HLC: ${fmt(stamps)} stamps/s (\`now()\` + \`encodeHlc\`, one core).

Targets: ≥ 10,000 events/s projected and ≥ 40 % of raw; p99 ≤ 25 ms at 1,000 events/s.
Throughput target — ${verdicts.join('; ')}. Latency target — ${percentile(latencies, 99) <= 25 ? 'met' : 'not met'}.
Batch 1 is one PostgreSQL transaction (six round trips) per event, so it cannot approach a consumer
that only acks; it is the worst case of a live stream trickling one event at a time, where latency, not
throughput, is what matters. Figures on this shared 2-core machine move with the load average above
(at load ~7 the same run gave about half the throughput and a p99 of 56 ms).`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
