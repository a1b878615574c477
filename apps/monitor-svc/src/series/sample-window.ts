import type { MetricSample } from '@kailash/contracts';
import { KailashError } from '@kailash/contracts';
import type { PartitionPolicy } from './partitions';
import { keptWindow } from './partitions';

/**
 * Refuses samples no partition can hold: older than the raw retention (they would be dropped at
 * once) or beyond the partitions created ahead. The error names the offending field.
 */
export function assertInKeptWindow(
  samples: readonly MetricSample[],
  policy: PartitionPolicy,
  nowMs: number,
  fieldOf: (index: number) => string,
): void {
  const { fromMs, toMs } = keptWindow(policy, nowMs);
  samples.forEach((sample, index) => {
    const atMs = Date.parse(sample.at);
    if (atMs >= fromMs && atMs < toMs) return;
    const field = fieldOf(index);
    const message = `must lie between ${new Date(fromMs).toISOString()} and ${new Date(toMs).toISOString()} (raw retention and partitions made ahead)`;
    throw new KailashError('VALIDATION_FAILED', `invalid sample: ${field}: ${message}`, {
      issues: [{ field, message }],
    });
  });
}
