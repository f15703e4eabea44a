import { sql, type Expression, type Kysely, type RawBuilder } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { GroupRecord, MemberName, MembershipRecord, MembershipType } from '../../records.js';
import type { GroupStore, ListQuery, ListResult } from '../../store.js';
import { decodeJson, type Database, type GroupsTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { foldCase } from '../fold.js';
import { updateMembershipDisplays } from './membership-display.js';
import { userDisplayNames } from './sql-user-store.js';
import { translateUniqueKeyError } from '../unique-key-error.js';
import { ListRunner } from '../query/list-runner.js';
import { noteWrite } from '../query/total-cache.js';
import { groupsTable } from '../query/resource-tables.js';

/** Bound parameters per statement stay well under every engine's limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function toGroup(row: GroupsTable): GroupRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    created: row.created_at,
    lastModified: row.last_modified,
    version: Number(row.version),
    data: decodeJson<JsonObject>(row.data),
  };
}

function toRow(group: GroupRecord): GroupsTable {
  return {
    tenant_id: group.tenantId,
    id: group.id,
    display_name: group.displayName,
    display_name_key: foldCase(group.displayName),
    external_id: group.externalId,
    created_at: group.created,
    last_modified: group.lastModified,
    version: group.version,
    data: JSON.stringify(group.data),
  };
}

/**
 * A page of a group's members: a keyset on the membership key (tenant_id, group_id,
 * member_id), so a page deep in a group of 100,000 costs what the first one does (the
 * query-plan test of the directory read API explains it).
 */
export function groupMembersPage(db: Kysely<Database>, tenantId: string, groupId: string, afterId: string | null, limit: number) {
  let query = db.selectFrom('group_members').select(['member_id', 'member_type', 'member_display']).where('tenant_id', '=', tenantId).where('group_id', '=', groupId);
  if (afterId !== null) query = query.where('member_id', '>', afterId);
  return query.orderBy('member_id').limit(limit);
}

export class SqlGroupStore implements GroupStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async insert(group: GroupRecord): Promise<void> {
    await translateUniqueKeyError(this.adapter, () => this.db.insertInto('groups').values(toRow(group)).execute());
    noteWrite(group.tenantId);
  }

  async update(group: GroupRecord): Promise<void> {
    const { tenant_id: tenantId, id, created_at: _created, ...changes } = toRow(group);
    await translateUniqueKeyError(this.adapter, () => this.db.updateTable('groups').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).execute());
    await updateMembershipDisplays(this.db, tenantId, id, group.displayName);
  }

  async get(tenantId: string, id: string): Promise<GroupRecord | undefined> {
    const row = await this.db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toGroup(row);
  }

  async getForUpdate(tenantId: string, id: string): Promise<GroupRecord | undefined> {
    const query = this.db.selectFrom('groups').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    const row = await (this.adapter.rowLocks ? query.forUpdate() : query).executeTakeFirst();
    return row === undefined ? undefined : toGroup(row);
  }

  async list(tenantId: string, query: ListQuery): Promise<ListResult<GroupRecord>> {
    return ListRunner.list(this.db, this.adapter, groupsTable, tenantId, query, toGroup);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    // Memberships of the group go with it (foreign key cascade); its own memberships in other groups are removed here.
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', id).execute();
    await this.db.deleteFrom('groups').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    noteWrite(tenantId);
  }

  async memberships(tenantId: string, groupId: string, afterId: string | null, limit: number): Promise<readonly MembershipRecord[]> {
    const rows = await groupMembersPage(this.db, tenantId, groupId, afterId, limit).execute();
    const missing = rows.filter((row) => row.member_display === null).map((row) => row.member_id);
    const looked = await this.displaysOf(tenantId, missing);
    return rows.map((row) => ({ value: row.member_id, type: row.member_type as MembershipType, display: row.member_display ?? looked.get(row.member_id) ?? null }));
  }

  /**
   * Displays read from the members' own rows, for membership rows without a copy: those a
   * process of the version before migration 014 added during a rolling deploy.
   */
  private async displaysOf(tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const found = await userDisplayNames(this.db, this.adapter, tenantId, ids);
    const groups = await this.db.selectFrom('groups').select(['id', 'display_name']).where('tenant_id', '=', tenantId).where('id', 'in', ids).execute();
    for (const row of groups) found.set(row.id, row.display_name);
    return found;
  }

  /** `userDisplay` (membership-display.ts) in SQL, for a select from `users as u`. */
  private userDisplaySql(): RawBuilder<string> {
    return sql<string>`coalesce(${this.adapter.jsonText(sql.ref('u.data'), ['displayName'])}, u.user_name)`;
  }

  async resolveMembershipTypes(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, MembershipType>> {
    const found = new Map<string, MembershipType>();
    for (const part of chunks([...new Set(ids)])) {
      // On PostgreSQL the rows stay share-locked until the membership change commits: a
      // concurrent delete or rename of a member (which locks its row for update) then runs
      // wholly before or wholly after it, so no membership of a deleted user and no stale
      // member display is left behind.
      const users = this.db.selectFrom('users').select('id').where('tenant_id', '=', tenantId).where('id', 'in', part).where('deleted_at', 'is', null);
      for (const row of await (this.adapter.rowLocks ? users.forShare() : users).execute()) found.set(row.id, 'User');
      const groups = this.db.selectFrom('groups').select('id').where('tenant_id', '=', tenantId).where('id', 'in', part);
      for (const row of await (this.adapter.rowLocks ? groups.forShare() : groups).execute()) found.set(row.id, 'Group');
    }
    return found;
  }

  async memberNames(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, MemberName>> {
    const found = new Map<string, MemberName>();
    for (const part of chunks([...new Set(ids)])) {
      const users = await this.db.selectFrom('users').select(['id', 'user_name']).where('tenant_id', '=', tenantId).where('id', 'in', part).execute();
      for (const row of users) found.set(row.id, { type: 'User', name: row.user_name });
      const groups = await this.db.selectFrom('groups').select(['id', 'display_name']).where('tenant_id', '=', tenantId).where('id', 'in', part).execute();
      for (const row of groups) found.set(row.id, { type: 'Group', name: row.display_name });
    }
    return found;
  }

  async addMemberships(tenantId: string, groupId: string, memberships: readonly { value: string; type: MembershipType }[]): Promise<number> {
    const group = sql<string>`cast(${groupId} as text)`.as('group_id');
    let added = 0;
    // Each row takes its member's display from the member's own row in the same statement.
    for (const part of chunks(memberships.filter((membership) => membership.type === 'User').map((membership) => membership.value))) {
      const rows = this.db
        .selectFrom('users as u')
        .select(['u.tenant_id', group, 'u.id', sql<string>`'User'`.as('member_type'), this.userDisplaySql().as('member_display')])
        .where('u.tenant_id', '=', tenantId)
        .where('u.id', 'in', part);
      added += await this.insertMemberships(rows);
    }
    for (const part of chunks(memberships.filter((membership) => membership.type === 'Group').map((membership) => membership.value))) {
      const rows = this.db
        .selectFrom('groups as g')
        .select(['g.tenant_id', group, 'g.id', sql<string>`'Group'`.as('member_type'), 'g.display_name'])
        .where('g.tenant_id', '=', tenantId)
        .where('g.id', 'in', part);
      added += await this.insertMemberships(rows);
    }
    return added;
  }

  /** Inserts the rows a select of (tenant_id, group_id, member_id, member_type, member_display) gives. */
  private async insertMemberships(rows: Expression<unknown>): Promise<number> {
    const result = await this.db
      .insertInto('group_members')
      .columns(['tenant_id', 'group_id', 'member_id', 'member_type', 'member_display'])
      .expression(rows)
      .onConflict((conflict) => conflict.columns(['tenant_id', 'group_id', 'member_id']).doNothing())
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n);
  }

  async removeMemberships(tenantId: string, groupId: string, ids: readonly string[]): Promise<number> {
    let removed = 0;
    for (const part of chunks(ids)) {
      const result = await this.db
        .deleteFrom('group_members')
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .where('member_id', 'in', part)
        .executeTakeFirst();
      removed += Number(result.numDeletedRows);
    }
    return removed;
  }

  async clearMemberships(tenantId: string, groupId: string): Promise<number> {
    const result = await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('group_id', '=', groupId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async membershipIdsAmong(tenantId: string, groupId: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
    const found = new Set<string>();
    for (const part of chunks([...new Set(ids)])) {
      const rows = await this.db
        .selectFrom('group_members')
        .select('member_id')
        .where('tenant_id', '=', tenantId)
        .where('group_id', '=', groupId)
        .where('member_id', 'in', part)
        .execute();
      for (const row of rows) found.add(row.member_id);
    }
    return found;
  }

  async childGroups(tenantId: string, groupIds: readonly string[]): Promise<readonly string[]> {
    const out: string[] = [];
    for (const part of chunks([...new Set(groupIds)])) {
      const rows = await this.db
        .selectFrom('group_members')
        .select('member_id')
        .where('tenant_id', '=', tenantId)
        .where('group_id', 'in', part)
        .where('member_type', '=', 'Group')
        .execute();
      out.push(...rows.map((row) => row.member_id));
    }
    return out;
  }

  async removeFromAllGroups(tenantId: string, id: string): Promise<number> {
    const result = await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
