import type { Kysely } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { ScimSetupStore } from '../../member-store.js';
import { decodeJson, type Database } from '../database.js';

/** Users are rewritten this many at a time when their externalIds are cleared. */
const BATCH = 500;

export class SqlScimSetupStore implements ScimSetupStore {
  constructor(private readonly db: Kysely<Database>) {}

  async deleteTokens(tenantId: string): Promise<number> {
    const result = await this.db.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteGroups(tenantId: string): Promise<number> {
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).execute();
    const result = await this.db.deleteFrom('groups').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async clearUserExternalIds(tenantId: string, at: string): Promise<number> {
    // The document is rewritten in JavaScript, written once for both engines; every pass takes
    // users that still have an externalId, so the loop ends when none is left.
    let cleared = 0;
    for (;;) {
      const rows = await this.db
        .selectFrom('users')
        .select(['id', 'data', 'version'])
        .where('tenant_id', '=', tenantId)
        .where('external_id', 'is not', null)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        const { externalId: _dropped, ...data } = decodeJson<JsonObject>(row.data);
        await this.db
          .updateTable('users')
          .set({ external_id: null, data: JSON.stringify(data), version: Number(row.version) + 1, last_modified: at })
          .where('tenant_id', '=', tenantId)
          .where('id', '=', row.id)
          .execute();
      }
      cleared += rows.length;
      if (rows.length < BATCH) return cleared;
    }
  }

  async deleteUsers(tenantId: string): Promise<number> {
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_type', '=', 'User').execute();
    // The email side index goes with its users (foreign key cascade).
    const result = await this.db.deleteFrom('users').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
