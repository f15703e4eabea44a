import type { Kysely } from 'kysely';
import type { GroupRecord, UserRecord } from '../../records.js';
import type { ScimSetupStore } from '../../member-store.js';
import { noteWrite } from '../query/total-cache.js';
import { touchMembersOfGroups } from './sql-member-store.js';
import { toGroup } from '../resources/sql-group-store.js';
import { toUser } from '../resources/sql-user-store.js';
import type { Database } from '../database.js';

/**
 * Tenant-wide SCIM teardown, a batch at a time: each batch returns the resources it changed,
 * so that the caller writes one event per resource in the same transaction (docs/events.md).
 */
export class SqlScimSetupStore implements ScimSetupStore {
  constructor(private readonly db: Kysely<Database>) {}

  async deleteTokens(tenantId: string): Promise<number> {
    const result = await this.db.deleteFrom('api_tokens').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async deleteGroups(tenantId: string, limit: number, at: string): Promise<readonly GroupRecord[]> {
    const rows = await this.db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(limit).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    // Their members' groups change without an event per member: updatedSince finds them by this.
    await touchMembersOfGroups(this.db, tenantId, ids, at);
    // Their own members, and their memberships in other groups (which go in this teardown too).
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('group_id', 'in', ids).execute();
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', 'in', ids).execute();
    await this.db.deleteFrom('groups').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
    noteWrite(tenantId);
    return rows.map(toGroup);
  }

  async clearUserExternalIds(tenantId: string, at: string, limit: number): Promise<readonly { before: UserRecord; after: UserRecord }[]> {
    // The document is rewritten in JavaScript, written once for both engines; every batch takes
    // users that still have an externalId, so the caller's loop ends when none is left.
    const rows = await this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('external_id', 'is not', null).orderBy('id').limit(limit).execute();
    const changed: { before: UserRecord; after: UserRecord }[] = [];
    for (const row of rows) {
      const before = toUser(row);
      const { externalId: _dropped, ...data } = before.data;
      const after: UserRecord = { ...before, externalId: null, data, version: before.version + 1, lastModified: at };
      await this.db
        .updateTable('users')
        .set({ external_id: null, data: JSON.stringify(after.data), version: after.version, last_modified: at })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .execute();
      changed.push({ before, after });
    }
    if (rows.length > 0) noteWrite(tenantId);
    return changed;
  }

  async deleteUsers(tenantId: string, limit: number): Promise<readonly UserRecord[]> {
    const rows = await this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).orderBy('id').limit(limit).execute();
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', 'in', ids).execute();
    // The email side index goes with its users (foreign key cascade).
    await this.db.deleteFrom('users').where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
    noteWrite(tenantId);
    return rows.map(toUser);
  }
}
