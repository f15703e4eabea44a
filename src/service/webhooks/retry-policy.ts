/** When deliveries are tried again, and when they are given up on. */
export interface RetryPolicy {
  /** Tries before a delivery goes to the dead-letter list (the first try counts). */
  readonly maxAttempts: number;
  /** Delay before the second try; each later one doubles it. */
  readonly baseDelayMs: number;
  /** Cap on any one delay. */
  readonly maxDelayMs: number;
}

/** 8 tries over about 20 minutes (10 s, 20 s, 40 s … capped at an hour). */
export const DEFAULT_RETRY_POLICY: RetryPolicy = { maxAttempts: 8, baseDelayMs: 10_000, maxDelayMs: 3_600_000 };

/**
 * The delay after the `attempts`-th failed try: exponential, with "equal jitter" (half fixed,
 * half random), so that deliveries that failed together (a receiver's outage) do not all
 * come back at the same moment. A receiver's Retry-After (429, 503) is honoured up to the cap.
 */
export function retryDelay(policy: RetryPolicy, attempts: number, retryAfterMs?: number, random: () => number = Math.random): number {
  const exponential = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + random() * (exponential / 2);
  return Math.min(policy.maxDelayMs, Math.max(jittered, retryAfterMs ?? 0));
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null || header.trim() === '') return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}
