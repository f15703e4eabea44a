import { sql, type Kysely } from 'kysely';
import type { UndeclaredAttributeRecord, UndeclaredAttributeStore } from '../../undeclared-attribute-store.js';
import type { Database } from '../database.js';

/** Paths compare case-insensitively (RFC 7643 §2.1); a row keeps the spelling first sent. */
const folded = sql<string>`lower(path)`;

export class SqlUndeclaredAttributeStore implements UndeclaredAttributeStore {
  constructor(private readonly db: Kysely<Database>) {}

  async record(tenantId: string, paths: readonly string[], userId: string | null, at: string, maxPaths: number): Promise<void> {
    const unique = new Map(paths.map((path) => [path.toLowerCase(), path]));
    if (unique.size === 0) return;
    const keys = [...unique.keys()];
    const known = new Set((await this.db.selectFrom('undeclared_attributes').select(folded.as('key')).where('tenant_id', '=', tenantId).where(folded, 'in', keys).execute()).map((row) => row.key));
    if (known.size > 0) {
      await this.db
        .updateTable('undeclared_attributes')
        .set((eb) => ({ count: eb('count', '+', 1), last_seen_at: at, last_user_id: userId }))
        .where('tenant_id', '=', tenantId)
        .where(folded, 'in', [...known])
        .execute();
    }
    const fresh = keys.filter((key) => !known.has(key));
    if (fresh.length === 0) return;
    const row = await this.db.selectFrom('undeclared_attributes').select((eb) => eb.fn.countAll<number>().as('n')).where('tenant_id', '=', tenantId).executeTakeFirstOrThrow();
    const room = Math.max(0, maxPaths - Number(row.n));
    if (room === 0) return;
    await this.db
      .insertInto('undeclared_attributes')
      .values(fresh.slice(0, room).map((key) => ({ tenant_id: tenantId, path: unique.get(key) ?? key, count: 1, first_seen_at: at, last_seen_at: at, last_user_id: userId })))
      // A concurrent write recorded it first: its count stands.
      .onConflict((oc) => oc.columns(['tenant_id', 'path']).doNothing())
      .execute();
  }

  async list(tenantId: string, limit: number): Promise<readonly UndeclaredAttributeRecord[]> {
    const rows = await this.db.selectFrom('undeclared_attributes').selectAll().where('tenant_id', '=', tenantId).orderBy('last_seen_at', 'desc').orderBy('path').limit(limit).execute();
    return rows.map((row) => ({ path: row.path, count: Number(row.count), firstSeenAt: row.first_seen_at, lastSeenAt: row.last_seen_at, lastUserId: row.last_user_id }));
  }

  async forget(tenantId: string, paths: readonly string[]): Promise<void> {
    if (paths.length === 0) return;
    await this.db.deleteFrom('undeclared_attributes').where('tenant_id', '=', tenantId).where(folded, 'in', paths.map((path) => path.toLowerCase())).execute();
  }
}
