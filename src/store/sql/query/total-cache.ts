import type { Kysely } from 'kysely';
import type { Database } from '../database.js';

/**
 * Unfiltered totals (what every plain page of a list needs), which for a large tenant cost a
 * walk of a whole index to count, are kept per database, tenant and table, and reused while
 * nothing could have changed them:
 *
 * - every change the services make to a tenant's users and groups appends an event in the
 *   same transaction (the outbox), which advances tenants.event_seq; the total is stored
 *   with the sequence it was counted at, read before counting (a write committed in
 *   between makes the count newer than its sequence, never older, and the next reader sees
 *   a later sequence);
 * - writes through the store without an event (tests, maintenance) bump a per-tenant
 *   generation once they are done, which also invalidates.
 */

interface Entry {
  readonly seq: number;
  readonly generation: number;
  readonly total: number;
}

const totals = new WeakMap<Kysely<Database>, Map<string, Entry>>();
const generations = new Map<string, number>();

/** Called after a write to a tenant's users or groups has completed. */
export function noteWrite(tenantId: string): void {
  generations.set(tenantId, (generations.get(tenantId) ?? 0) + 1);
}

/** The total for `key` of a tenant at event sequence `seq`, counted by `count` when not known. */
export async function cachedTotal(db: Kysely<Database>, tenantId: string, key: string, seq: number, count: () => Promise<number>): Promise<number> {
  const generation = generations.get(tenantId) ?? 0;
  let cache = totals.get(db);
  if (cache === undefined) {
    cache = new Map();
    totals.set(db, cache);
  }
  const cacheKey = `${tenantId} ${key}`;
  const known = cache.get(cacheKey);
  if (known !== undefined && known.seq === seq && known.generation === generation) return known.total;
  const total = await count();
  cache.set(cacheKey, { seq, generation, total });
  return total;
}
