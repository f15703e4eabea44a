import type { Kysely } from 'kysely';
import type { Database } from '../../src/store/sql/database.js';
import type { Store } from '../../src/store/store.js';

/**
 * The stored rows of a tenant's events and provisioning log, as JSON text: what the erasure
 * tests search for personal data. Reads the tables themselves (the SQL store's connection),
 * not an API that could hide what is stored.
 */
export async function storedText(store: Store, tenantId: string): Promise<{ events: string; log: string }> {
  // The store keeps its Kysely instance private; the tests read the tables through it all the same.
  const db = (store as unknown as { db: Kysely<Database> }).db;
  const events = await db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).execute();
  const log = await db.selectFrom('provisioning_log').selectAll().where('tenant_id', '=', tenantId).execute();
  return { events: JSON.stringify(events), log: JSON.stringify(log) };
}

/** Personal data of a user the erasure tests create: none of it may remain. */
export function assertNoneOf(text: string, needles: readonly string[], where: string): void {
  for (const needle of needles) {
    if (text.toLowerCase().includes(needle.toLowerCase())) throw new Error(`${where} still holds "${needle}"`);
  }
}
