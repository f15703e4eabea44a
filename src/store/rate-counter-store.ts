/**
 * Request counters for rate limiting that every Roster process on one database shares.
 * Engines one process owns (SQLite) have none: the limiter counts in memory there.
 */
export interface RateCounterStore {
  /**
   * Counts one request against each key in the current fixed window of `windowSeconds`,
   * on the database's clock so that every process agrees where a window starts. Returns
   * each key's count in that window (in the order of `keys`) and the seconds until the
   * window ends.
   */
  hit(keys: readonly string[], windowSeconds: number): Promise<{ readonly counts: readonly number[]; readonly resetInSeconds: number }>;
}
