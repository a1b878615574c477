import type { MetricSample, MetricsBatch } from '@kailash/contracts';

/**
 * The samples an agent's metrics batch stands for, all stamped at the window's end: host and
 * process gauges as the edge's cpu / load / memory / storage (a batch of an agent too old to
 * measure the host's CPU busy share has no `cpu{scope=host}`), and per workload its throughput
 * (requests per second over the window), error rate, mean latency and cache hit rate.
 */
export function samplesOfBatch(batch: MetricsBatch): MetricSample[] {
  const at = batch.windowEnd;
  const edge = (metric: string, value: number, labels: Record<string, string> = {}): MetricSample => ({
    edgeId: batch.edgeId,
    metric,
    labels,
    value,
    at,
  });
  const { host, process } = batch;
  const samples: MetricSample[] = [
    edge('cpu', process.cpuPercent, { scope: 'process' }),
    edge('memory', process.rssBytes, { scope: 'process' }),
    edge('storage', host.diskUsedBytes, { scope: 'data_dir' }),
  ];
  if (host.memoryTotalBytes > 0) {
    const used = host.memoryTotalBytes - host.memoryFreeBytes;
    samples.push(edge('memory', (100 * used) / host.memoryTotalBytes, { scope: 'host_percent' }));
  }
  if (host.cpuBusyPercent !== undefined) samples.push(edge('cpu', host.cpuBusyPercent, { scope: 'host' }));
  // Runnable tasks per core, not a percentage: it has no upper bound (health/metric-units.ts).
  if (host.cpuCount > 0)
    samples.push(edge('load', host.loadAverage1m / host.cpuCount, { scope: 'host_1m_per_core' }));
  const windowSeconds = (Date.parse(batch.windowEnd) - Date.parse(batch.windowStart)) / 1000;
  for (const workload of batch.workloads) {
    const labels = { workload: workload.workloadId, kind: workload.kind };
    if (windowSeconds > 0) samples.push(edge('throughput', workload.requests / windowSeconds, labels));
    if (workload.requests > 0) {
      samples.push(edge('error_rate', workload.errors / workload.requests, labels));
      samples.push(edge('cache_hit_rate', workload.cacheHits / workload.requests, labels));
    }
    if (workload.latency.count > 0)
      samples.push(edge('latency', workload.latency.sumMs / workload.latency.count, labels));
  }
  return samples;
}
