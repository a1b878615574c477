import type { ThrottlerStorage } from '@nestjs/throttler';
import type { ThrottlerStorageRecord } from '@nestjs/throttler/dist/throttler-storage-record.interface';

interface Window {
  expiresAt: number;
  hits: number;
  blockedUntil: number;
}

/**
 * Rate-limit counts per caller in fixed windows: O(1) per request and memory per active caller.
 * The throttler's default store keeps a timestamp per hit and takes `Math.min(...hits)` on every
 * request, which costs more the busier a caller is and throws once a window holds ~100k hits.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage {
  private readonly windows = new Map<string, Window>();
  private lastSweep: number;

  constructor(private readonly now: () => number = Date.now) {
    this.lastSweep = now();
  }

  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
  ): Promise<ThrottlerStorageRecord> {
    const now = this.now();
    this.sweep(now, ttl);
    let window = this.windows.get(key);
    if (!window || window.expiresAt <= now) {
      window = { expiresAt: now + ttl, hits: 0, blockedUntil: window?.blockedUntil ?? 0 };
      this.windows.set(key, window);
    }
    const blocked = window.blockedUntil > now;
    if (!blocked) window.hits++;
    if (!blocked && window.hits > limit)
      window.blockedUntil = now + (blockDuration > 0 ? blockDuration : ttl);
    const isBlocked = window.blockedUntil > now;
    return {
      totalHits: window.hits,
      timeToExpire: seconds(window.expiresAt - now),
      isBlocked,
      timeToBlockExpire: isBlocked ? seconds(window.blockedUntil - now) : 0,
    };
  }

  /** Callers that went quiet are forgotten once their window and any block have passed. */
  private sweep(now: number, ttl: number): void {
    if (now - this.lastSweep < ttl) return;
    this.lastSweep = now;
    for (const [key, window] of this.windows) {
      if (window.expiresAt <= now && window.blockedUntil <= now) this.windows.delete(key);
    }
  }

  get size(): number {
    return this.windows.size;
  }
}

const seconds = (ms: number): number => Math.max(0, Math.ceil(ms / 1000));
