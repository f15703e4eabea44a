import type { RateCounterStore } from '../store/rate-counter-store.js';

/** How many requests a token and a tenant may make per window; 0 turns a check off. */
export interface RateLimits {
  readonly windowSeconds: number;
  readonly perToken: number;
  readonly perTenant: number;
}

/** The outcome of counting one request. */
export type RateDecision =
  | { readonly allowed: true }
  | { readonly allowed: false; readonly scope: 'token' | 'tenant'; readonly limit: number; readonly windowSeconds: number; readonly retryAfterSeconds: number };

/**
 * Fixed-window counters in this process, for engines one process owns (SQLite). Only the
 * current window is kept: the map is dropped when a new one starts, so memory follows the
 * number of tokens active in one window.
 */
export class MemoryRateCounters implements RateCounterStore {
  private windowStart = -1;
  private counts = new Map<string, number>();

  constructor(private readonly clock: () => number = Date.now) {}

  hit(keys: readonly string[], windowSeconds: number): Promise<{ counts: readonly number[]; resetInSeconds: number }> {
    const nowSeconds = this.clock() / 1000;
    const start = Math.floor(nowSeconds / windowSeconds) * windowSeconds;
    if (start !== this.windowStart) {
      this.windowStart = start;
      this.counts = new Map();
    }
    const counts = keys.map((key) => {
      const count = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, count);
      return count;
    });
    return Promise.resolve({ counts, resetInSeconds: start + windowSeconds - nowSeconds });
  }
}

/**
 * The per-token and per-tenant request limit (RFC 7644 §7.6 asks providers to limit
 * request rates). Every request counts, refused ones too, so a client that keeps
 * hammering stays refused until the window ends.
 */
export class RateLimiter {
  constructor(
    private readonly limits: RateLimits,
    private readonly counters: RateCounterStore,
  ) {}

  /** Whether any limit is on at all; when not, nothing is counted. */
  get enabled(): boolean {
    return this.limits.perToken > 0 || this.limits.perTenant > 0;
  }

  /** Counts one request of `tokenId` (of `tenantId`) and says whether it may proceed. */
  async hit(tenantId: string, tokenId: string): Promise<RateDecision> {
    const checks: { scope: 'token' | 'tenant'; key: string; limit: number }[] = [];
    if (this.limits.perToken > 0) checks.push({ scope: 'token', key: `token:${tokenId}`, limit: this.limits.perToken });
    if (this.limits.perTenant > 0) checks.push({ scope: 'tenant', key: `tenant:${tenantId}`, limit: this.limits.perTenant });
    if (checks.length === 0) return { allowed: true };
    const { counts, resetInSeconds } = await this.counters.hit(
      checks.map((check) => check.key),
      this.limits.windowSeconds,
    );
    const exceeded = checks.find((check, index) => (counts[index] ?? 0) > check.limit);
    if (exceeded === undefined) return { allowed: true };
    // Retry-After is whole seconds (RFC 9110 §10.2.3); never 0, which would invite a retry storm.
    return {
      allowed: false,
      scope: exceeded.scope,
      limit: exceeded.limit,
      windowSeconds: this.limits.windowSeconds,
      retryAfterSeconds: Math.max(1, Math.ceil(resetInSeconds)),
    };
  }
}
