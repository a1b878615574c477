import { openMonitorBench } from './setup';
import { sustainedIngest } from './sustained';

/**
 * The sustained run alone, for profiling (`node --cpu-prof`): BENCH_MONITOR_WINDOWS agent windows
 * of 100 edges, BENCH_MONITOR_ANALYSED_EDGES of them analysed.
 */
async function main(): Promise<void> {
  const env = await openMonitorBench();
  try {
    console.log(
      await sustainedIngest(env, {
        edges: 100,
        windows: Number(process.env['BENCH_MONITOR_WINDOWS'] ?? 180),
        batchSize: 1000,
        analysedEdges: Number(process.env['BENCH_MONITOR_ANALYSED_EDGES'] ?? 100),
      }),
    );
  } finally {
    await env.close();
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
