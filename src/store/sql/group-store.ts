import { sql, type Kysely } from 'kysely';
import type { JsonObject } from '../../scim/json.js';
import type { GroupRecord, MemberRecord, MemberType } from '../records.js';
import type { GroupStore, ListQuery, ListResult } from '../store.js';
import { decodeJson, type Database, type GroupsTable } from './database.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { foldCase } from './fold.js';
import { guardUnique } from './unique.js';
import { ListRunner } from './query/list-runner.js';
import { noteWrite } from './query/total-cache.js';
import { groupsTable } from './query/resource-tables.js';

/** Bound parameters per statement stay well under every engine's limit. */
const CHUNK = 500;

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

function toGroup(row: GroupsTable): GroupRecord {
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

export class SqlGroupStore implements GroupStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async insert(group: GroupRecord): Promise<void> {
    await guardUnique(this.adapter, () => this.db.insertInto('groups').values(toRow(group)).execute());
    noteWrite(group.tenantId);
  }

  update(group: GroupRecord): Promise<void> {
    const { tenant_id: tenantId, id, created_at: _created, ...changes } = toRow(group);
    return guardUnique(this.adapter, () => this.db.updateTable('groups').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).execute());
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
    return new ListRunner(this.db, this.adapter, groupsTable, tenantId, query, toGroup).run();
  }

  async remove(tenantId: string, id: string): Promise<void> {
    // Memberships of the group go with it (foreign key cascade); its own memberships in other groups are removed here.
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', id).execute();
    await this.db.deleteFrom('groups').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    noteWrite(tenantId);
  }

  async members(tenantId: string, groupId: string, afterMemberId: string | null, limit: number): Promise<readonly MemberRecord[]> {
    let query = this.db
      .selectFrom('group_members as m')
      .leftJoin('users as u', (join) => join.onRef('u.tenant_id', '=', 'm.tenant_id').onRef('u.id', '=', 'm.member_id'))
      .leftJoin('groups as g', (join) => join.onRef('g.tenant_id', '=', 'm.tenant_id').onRef('g.id', '=', 'm.member_id'))
      // The database extracts displayName: reading and parsing each member's whole document
      // tripled the time of a large group's read.
      .select(['m.member_id as value', 'm.member_type as type', 'u.user_name as userName', this.adapter.jsonText(sql.ref('u.data'), ['displayName']).as('userDisplay'), 'g.display_name as groupName'])
      .where('m.tenant_id', '=', tenantId)
      .where('m.group_id', '=', groupId);
    if (afterMemberId !== null) query = query.where('m.member_id', '>', afterMemberId);
    const rows = await query.orderBy('m.member_id').limit(limit).execute();
    return rows.map((row) => {
      const display = typeof row.userDisplay === 'string' ? row.userDisplay : (row.userName ?? row.groupName);
      return { value: row.value, type: row.type as MemberType, display };
    });
  }

  async resolveMembers(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, MemberType>> {
    const found = new Map<string, MemberType>();
    for (const part of chunks([...new Set(ids)])) {
      const users = await this.db
        .selectFrom('users')
        .select('id')
        .where('tenant_id', '=', tenantId)
        .where('id', 'in', part)
        .where('deleted_at', 'is', null)
        .execute();
      for (const row of users) found.set(row.id, 'User');
      const groups = await this.db.selectFrom('groups').select('id').where('tenant_id', '=', tenantId).where('id', 'in', part).execute();
      for (const row of groups) found.set(row.id, 'Group');
    }
    return found;
  }

  async addMembers(tenantId: string, groupId: string, members: readonly { value: string; type: MemberType }[]): Promise<number> {
    let added = 0;
    for (const part of chunks(members)) {
      const result = await this.db
        .insertInto('group_members')
        .values(part.map((member) => ({ tenant_id: tenantId, group_id: groupId, member_id: member.value, member_type: member.type })))
        .onConflict((conflict) => conflict.columns(['tenant_id', 'group_id', 'member_id']).doNothing())
        .executeTakeFirst();
      added += Number(result.numInsertedOrUpdatedRows ?? 0n);
    }
    return added;
  }

  async removeMembers(tenantId: string, groupId: string, memberIds: readonly string[]): Promise<number> {
    let removed = 0;
    for (const part of chunks(memberIds)) {
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

  async clearMembers(tenantId: string, groupId: string): Promise<number> {
    const result = await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('group_id', '=', groupId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async memberIdsAmong(tenantId: string, groupId: string, ids: readonly string[]): Promise<ReadonlySet<string>> {
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

  async removeMemberEverywhere(tenantId: string, memberId: string): Promise<number> {
    const result = await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', memberId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
