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
 * Rate counters in PostgreSQL: one upsert per request counts it against every key at once.
 * A row whose window has passed starts again at 1. Keys are always sent in the same order,
 * so two requests never lock the same rows in opposite orders (no deadlock). The window is
 * taken from the database clock, which all processes share.
 */
export class PostgresRateCounterStore implements RateCounterStore {
  private readonly db: Kysely<Database & { rate_limits: RateLimitsTable }>;

  constructor(db: Kysely<Database>) {
    this.db = db.withTables<{ rate_limits: RateLimitsTable }>();
  }

  async hit(keys: readonly string[], windowSeconds: number): Promise<{ counts: readonly number[]; resetInSeconds: number }> {
    const window = Math.max(1, Math.floor(windowSeconds));
    const { rows } = await sql<{ key: string; hits: number; remaining: number }>`
      with clock as (select extract(epoch from clock_timestamp())::double precision as now),
      counted as (
        insert into rate_limits (key, window_start, hits)
        select k.key, (floor(clock.now / ${window}) * ${window})::bigint, 1
          from unnest(${[...keys]}::text[]) with ordinality as k(key, n), clock
         order by k.n
        on conflict (key) do update set
          hits = case when rate_limits.window_start = excluded.window_start then rate_limits.hits + 1 else 1 end,
          window_start = excluded.window_start
        returning key, hits, window_start
      )
      select counted.key, counted.hits, (counted.window_start + ${window} - clock.now)::double precision as remaining
        from counted, clock`.execute(this.db);
    const byKey = new Map(rows.map((row) => [row.key, Number(row.hits)]));
    const remaining = rows[0]?.remaining ?? window;
    return { counts: keys.map((key) => byKey.get(key) ?? 0), resetInSeconds: Math.max(0, Number(remaining)) };
  }
}
