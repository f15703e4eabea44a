/** Failed sign-ins allowed per client address in a window, and the window. */
export const SIGN_IN_FAILURES_PER_WINDOW = 10;
const WINDOW_MS = 60_000;
/** Addresses tracked at once; past it the oldest windows are forgotten (they would have ended). */
const MAX_TRACKED = 10_000;

/**
 * Throttles console sign-in attempts per client address: after `limit` failed attempts in a
 * fixed window, further attempts are refused unchecked until the window ends. 256-bit secrets
 * cannot be guessed anyway; this keeps a flood of attempts from costing a lookup each and
 * from filling logs. In memory, per process.
 */
export class SignInThrottle {
  private readonly windows = new Map<string, { start: number; failures: number }>();

  constructor(
    private readonly limit = SIGN_IN_FAILURES_PER_WINDOW,
    private readonly windowMs = WINDOW_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** Seconds until `address` may try again, or undefined when it may try now. */
  retryAfter(address: string): number | undefined {
    const window = this.windows.get(address);
    if (window === undefined) return undefined;
    const left = window.start + this.windowMs - this.clock();
    if (left <= 0) {
      this.windows.delete(address);
      return undefined;
    }
    return window.failures >= this.limit ? Math.ceil(left / 1000) : undefined;
  }

  /** Counts a failed attempt from `address`. */
  failed(address: string): void {
    const at = this.clock();
    const window = this.windows.get(address);
    if (window !== undefined && window.start + this.windowMs > at) {
      window.failures += 1;
      return;
    }
    if (this.windows.size >= MAX_TRACKED) {
      const oldest = this.windows.keys().next().value;
      if (oldest !== undefined) this.windows.delete(oldest);
    }
    this.windows.delete(address);
    this.windows.set(address, { start: at, failures: 1 });
  }
}
