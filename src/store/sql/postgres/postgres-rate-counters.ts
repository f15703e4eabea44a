import { sql, type Kysely } from 'kysely';
import type { RateCounterStore } from '../../rate-counter-store.js';
import type { Database } from '../database.js';

/** The table as this file alone sees it: nothing else reads it. */
interface RateLimitsTable {
  key: string;
  window_start: number;
  hits: number;
}

/**
 * How often a process adds its hits to the shared counters and reads back everyone's:
 * the bound on how late one process sees another's requests (docs/operations.md).
 */
export const RATE_FLUSH_MS = 500;

/**
 * Rate counters shared by every process on the database, counted in memory and written in
 * batches: a request costs no query, and the `rate_limits` table gets one upsert per
 * process per flush interval instead of one per request. A key's count is what every
 * process had counted at this process's last flush plus this process's hits since; so
 * another process's requests are seen at most one flush interval late.
 *
 * Windows are cut on the database's clock (learned at each flush), so processes agree on
 * where a window starts. Keys are written in sorted order, so two flushes never lock the
 * same rows in opposite orders (no deadlock).
 */
export class PostgresRateCounterStore implements RateCounterStore {
  private readonly db: Kysely<Database & { rate_limits: RateLimitsTable }>;
  /** The database's clock minus this process's, in ms. */
  private clockOffsetMs = 0;
  private windowStart = -1;
  private windowSeconds = 1;
  /** Every process's hits per key as of the last flush, in the current window. */
  private shared = new Map<string, number>();
  /** This process's hits per key not yet written. */
  private pending = new Map<string, number>();
  /** This process's hits per key being written now. */
  private inFlight = new Map<string, number>();
  private timer: NodeJS.Timeout | undefined;
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    db: Kysely<Database>,
    private readonly flushMs = RATE_FLUSH_MS,
  ) {
    this.db = db.withTables<{ rate_limits: RateLimitsTable }>();
  }

  hit(keys: readonly string[], windowSeconds: number): Promise<{ counts: readonly number[]; resetInSeconds: number }> {
    const window = Math.max(1, Math.floor(windowSeconds));
    const nowSeconds = (Date.now() + this.clockOffsetMs) / 1000;
    const start = Math.floor(nowSeconds / window) * window;
    if (start !== this.windowStart || window !== this.windowSeconds) {
      // A new window: what was counted in the old one no longer matters, written or not.
      this.windowStart = start;
      this.windowSeconds = window;
      this.shared = new Map();
      this.pending = new Map();
      this.inFlight = new Map();
    }
    const counts = keys.map((key) => {
      const mine = (this.pending.get(key) ?? 0) + 1;
      this.pending.set(key, mine);
      return (this.shared.get(key) ?? 0) + (this.inFlight.get(key) ?? 0) + mine;
    });
    this.schedule();
    return Promise.resolve({ counts, resetInSeconds: start + window - nowSeconds });
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.flushMs);
    // Pending counts must not keep a finished process alive; losing them loses nothing that matters.
    this.timer.unref();
  }

  /** Writes this process's pending hits and reads back every process's counts of those keys. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(() => this.write());
    return this.flushing;
  }

  private async write(): Promise<void> {
    if (this.pending.size === 0) return;
    const start = this.windowStart;
    const batch = [...this.pending].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    this.inFlight = this.pending;
    this.pending = new Map();
    const sentAt = Date.now();
    let rows: { key: string; hits: number; window_start: number; now: number }[];
    try {
      ({ rows } = await sql<{ key: string; hits: number; window_start: number; now: number }>`
        insert into rate_limits (key, window_start, hits)
        select k.key, ${start}::bigint, k.hits
          from unnest(${batch.map(([key]) => key)}::text[], ${batch.map(([, hits]) => hits)}::int[]) with ordinality as k(key, hits, n)
         order by k.n
        on conflict (key) do update set
          hits = case when rate_limits.window_start = excluded.window_start then rate_limits.hits + excluded.hits
                      when rate_limits.window_start < excluded.window_start then excluded.hits
                      else rate_limits.hits end,
          window_start = greatest(rate_limits.window_start, excluded.window_start)
        returning key, hits, window_start, extract(epoch from clock_timestamp())::double precision * 1000 as now`.execute(this.db));
    } catch (error) {
      // The database is away: keep counting locally and try again with the next flush.
      if (this.windowStart === start) for (const [key, hits] of batch) this.pending.set(key, (this.pending.get(key) ?? 0) + hits);
      this.inFlight = new Map();
      this.schedule();
      process.emitWarning(`rate limit counters not written: ${error instanceof Error ? error.message : String(error)}`, { code: 'ROSTER_RATE_COUNTERS' });
      return;
    }
    const databaseNow = Number(rows[0]?.now ?? sentAt);
    this.clockOffsetMs = databaseNow - (sentAt + Date.now()) / 2;
    // Counts of a window that has ended meanwhile are of no use.
    if (this.windowStart !== start) return;
    // The returned totals include the hits just written.
    for (const row of rows) if (Number(row.window_start) === start) this.shared.set(row.key, Number(row.hits));
    this.inFlight = new Map();
    if (this.pending.size > 0) this.schedule();
  }

  /** Stops the flush timer after writing what is pending (the store is closing). */
  async close(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
  }
}
