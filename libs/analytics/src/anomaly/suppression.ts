import { RingBuffer } from './running';
import type { StreamingDetector } from './types';

/**
 * Reports an incident once: a score counts in full only when it rises above every raw score of the
 * last `window` values; otherwise it is scaled by `damping`. Threshold-free, so it does not depend
 * on where the alarm threshold is later set. O(window) per value.
 */
export function withSuppression(inner: StreamingDetector, window: number, damping = 0.5): StreamingDetector {
  const recent = new RingBuffer(window);
  return {
    name: inner.name,
    update(x: number): number {
      if (!Number.isFinite(x)) return 0;
      const raw = inner.update(x);
      let previousMax = 0;
      for (let i = 0; i < recent.length; i++) previousMax = Math.max(previousMax, recent.at(i));
      recent.push(raw);
      return raw > previousMax ? raw : raw * damping;
    },
  };
}
