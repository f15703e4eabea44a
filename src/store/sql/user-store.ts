import type { Kysely } from 'kysely';
import { userResourceType } from '../../schema/registry.js';
import type { JsonObject } from '../../scim/json.js';
import type { UserGroupRecord, UserRecord } from '../records.js';
import { UniqueViolation, type ListQuery, type ListResult, type UserStore } from '../store.js';
import { decodeJson, type Database, type UsersTable } from './database.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { compileFilter, type ColumnMapping } from './filter-to-sql.js';
import { foldCase } from './fold.js';

/** User attributes kept in columns (indexed) rather than only inside `data`. */
const USER_COLUMNS: ReadonlyMap<string, ColumnMapping> = new Map([
  ['id', { column: 'id', kind: 'text' }],
  ['externalid', { column: 'external_id', kind: 'text' }],
  ['username', { column: 'user_name_key', folded: true, kind: 'text' }],
  ['active', { column: 'active', kind: 'boolean' }],
  ['meta.created', { column: 'created_at', kind: 'dateTime' }],
  ['meta.lastmodified', { column: 'last_modified', kind: 'dateTime' }],
]);

function toUser(row: UsersTable): UserRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    userName: row.user_name,
    externalId: row.external_id,
    active: row.active === 1,
    deletedAt: row.deleted_at,
    created: row.created_at,
    lastModified: row.last_modified,
    version: Number(row.version),
    data: decodeJson<JsonObject>(row.data),
  };
}

function toRow(user: UserRecord): UsersTable {
  return {
    tenant_id: user.tenantId,
    id: user.id,
    user_name: user.userName,
    user_name_key: foldCase(user.userName),
    external_id: user.externalId,
    active: user.active ? 1 : 0,
    deleted_at: user.deletedAt,
    created_at: user.created,
    last_modified: user.lastModified,
    version: user.version,
    data: JSON.stringify(user.data),
  };
}

export class SqlUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  private async guarded(write: () => Promise<unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      const key = this.adapter.uniqueViolation(error);
      if (key !== undefined) throw new UniqueViolation(key);
      throw error;
    }
  }

  insert(user: UserRecord): Promise<void> {
    return this.guarded(() => this.db.insertInto('users').values(toRow(user)).execute());
  }

  update(user: UserRecord): Promise<void> {
    const { tenant_id: tenantId, id, created_at: _created, ...changes } = toRow(user);
    return this.guarded(() => this.db.updateTable('users').set(changes).where('tenant_id', '=', tenantId).where('id', '=', id).execute());
  }

  async get(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async getForUpdate(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const query = this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    const row = await (this.adapter.rowLocks ? query.forUpdate() : query).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async findByUserName(tenantId: string, userName: string): Promise<UserRecord | undefined> {
    // The live user first; among archived ones, the most recently deleted.
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('user_name_key', '=', foldCase(userName))
      .orderBy((eb) => eb.case().when('deleted_at', 'is', null).then(0).else(1).end())
      .orderBy('deleted_at', 'desc')
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async findDeletedByExternalId(tenantId: string, externalId: string): Promise<UserRecord | undefined> {
    const row = await this.db
      .selectFrom('users')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('external_id', '=', externalId)
      .where('deleted_at', 'is not', null)
      .orderBy('deleted_at', 'desc')
      .executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  async list(tenantId: string, query: ListQuery): Promise<ListResult<UserRecord>> {
    let base = this.db.selectFrom('users').where('users.tenant_id', '=', tenantId);
    if (query.includeDeleted !== true) base = base.where('users.deleted_at', 'is', null);
    if (query.filter !== undefined) {
      const target = { table: 'users', registry: query.registry, resourceType: userResourceType, columns: USER_COLUMNS };
      base = base.where(compileFilter(query.filter, target, this.adapter));
    }
    const counted = await base.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow();
    const rows =
      query.limit === 0
        ? []
        : await base.selectAll('users').orderBy('users.created_at').orderBy('users.id').limit(query.limit).offset(query.offset).execute();
    return { total: Number(counted.total), rows: rows.map(toUser) };
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', id).execute();
    await this.db.deleteFrom('users').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }

  async groupsOf(tenantId: string, userIds: readonly string[]): Promise<readonly UserGroupRecord[]> {
    if (userIds.length === 0) return [];
    const rows = await this.db
      .selectFrom('group_members')
      .innerJoin('groups', (join) => join.onRef('groups.tenant_id', '=', 'group_members.tenant_id').onRef('groups.id', '=', 'group_members.group_id'))
      .select(['group_members.member_id as userId', 'groups.id as value', 'groups.display_name as display'])
      .where('group_members.tenant_id', '=', tenantId)
      .where('group_members.member_id', 'in', userIds)
      .orderBy('groups.display_name_key')
      .orderBy('groups.id')
      .execute();
    return rows;
  }
}
