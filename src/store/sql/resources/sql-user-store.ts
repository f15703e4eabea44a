import { sql, type Kysely, type UpdateObject } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import { URN } from '../../../schema/urns.js';
import type { UserGroupRecord, UserRecord } from '../../records.js';
import type { ListQuery, ListResult, UserStore, UserWithGroups } from '../../store.js';
import { decodeJson, type Database, type UsersTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { compareCodePoints } from '../../../scim/filter/match.js';
import { foldCase } from '../fold.js';
import { translateUniqueKeyError } from '../unique-key-error.js';
import { emailKeys, writeEmailKeys } from '../query/email-index.js';
import { nameKey } from '../query/substring-index.js';
import { noteWrite } from '../query/total-cache.js';
import { ListRunner } from '../query/list-runner.js';
import { usersTable } from '../query/resource-tables.js';
import { ReusedStatement } from '../query/reused-statement.js';
import { ReusedInsert, slotted } from '../query/reused-write.js';
import { updateMembershipDisplays, userDisplay } from './membership-display.js';

export function toUser(row: UsersTable): UserRecord {
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

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((key, index) => key === b[index]);
}

function toRow(user: UserRecord): UsersTable {
  return {
    tenant_id: user.tenantId,
    id: user.id,
    user_name: user.userName,
    user_name_key: foldCase(user.userName),
    name_key: nameKey(user.data),
    external_id: user.externalId,
    active: user.active ? 1 : 0,
    deleted_at: user.deletedAt,
    created_at: user.created,
    last_modified: user.lastModified,
    version: user.version,
    data: JSON.stringify(user.data),
  };
}

/** The groups the users are direct members of, unordered: driven by the membership index by member. */
export function userGroupsQuery(db: Kysely<Database>, tenantId: string, userIds: readonly string[]) {
  return db
    .selectFrom('group_members')
    .innerJoin('groups', (join) => join.onRef('groups.tenant_id', '=', 'group_members.tenant_id').onRef('groups.id', '=', 'group_members.group_id'))
    .select(['group_members.member_id as userId', 'groups.id as value', 'groups.display_name as display', 'groups.display_name_key as key'])
    .where('group_members.tenant_id', '=', tenantId)
    .where('group_members.member_id', 'in', userIds);
}

function displayNamesQuery(db: Kysely<Database>, adapter: DialectAdapter, tenantId: string, ids: readonly string[]) {
  // The database extracts displayName: reading and parsing each whole document cost more.
  return db
    .selectFrom('users')
    .select(['id', 'user_name', adapter.jsonText(sql.ref('data'), ['displayName']).as('display_name')])
    .where('tenant_id', '=', tenantId)
    .where('id', 'in', ids)
    .where('deleted_at', 'is', null);
}

/** The statement of one user's display (a manager's, on every read of a user), compiled once per engine. */
const displayNameOfOne = new Map<DialectAdapter, ReusedStatement<{ id: string; user_name: string; display_name: unknown }>>();

/** Live users' displays (displayName, else userName) by id. */
export async function userDisplayNames(db: Kysely<Database>, adapter: DialectAdapter, tenantId: string, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  if (ids.length === 0) return names;
  const unique = [...new Set(ids)];
  let rows;
  if (unique.length === 1) {
    let statement = displayNameOfOne.get(adapter);
    if (statement === undefined) {
      statement = new ReusedStatement(2, (on, tenant, id) => displayNamesQuery(on, adapter, tenant, [id]));
      displayNameOfOne.set(adapter, statement);
    }
    rows = await statement.execute(db, adapter, [tenantId, unique[0]]);
  } else {
    rows = await displayNamesQuery(db, adapter, tenantId, unique).execute();
  }
  for (const row of rows) names.set(row.id, userDisplay(row.display_name, row.user_name));
  return names;
}

const userById = new ReusedStatement<UsersTable>(2, (db, tenantId, id) => db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id));
const groupsOfUser = new ReusedStatement<{ userId: string; value: string; display: string; key: string }>(2, (db, tenantId, userId) => userGroupsQuery(db, tenantId, [userId]));

/**
 * A user's row with its direct groups as a JSON array of [id, display, folded display], from
 * a subquery on the membership index by member, and its manager as [id, displayName,
 * userName] (null when the user names no live manager), from a subquery on the primary key:
 * one statement instead of three per read.
 */
const GROUPS_AGGREGATE: Record<DialectAdapter['engine'], string> = {
  sqlite: 'json_group_array(json_array(g.id, g.display_name, g.display_name_key))',
  postgres: "coalesce(json_agg(json_build_array(g.id, g.display_name, g.display_name_key)), '[]'::json)",
};
const JSON_ARRAY: Record<DialectAdapter['engine'], string> = { sqlite: 'json_array', postgres: 'json_build_array' };
const MANAGER_ID = [URN.enterpriseUser, 'manager', 'value'];

/**
 * How one user's read finds its row: by id (GET /Users/{id}; archived rows too, the service
 * answers 404), or the live user by its userName key (the `userName eq` filter IdPs send).
 */
export type UserReadKey = 'id' | 'user_name_key';

/** The statement of `getWithGroups` and `findLiveWithGroups`. */
export function userWithGroupsQuery(db: Kysely<Database>, adapter: DialectAdapter, key: UserReadKey, tenantId: string, value: string) {
  const groups = sql.raw(GROUPS_AGGREGATE[adapter.engine]);
  const managerDisplay = adapter.jsonText(sql.ref('m.data'), ['displayName']);
  const managerId = adapter.jsonText(sql.ref('users.data'), MANAGER_ID);
  const query = db
    .selectFrom('users')
    .selectAll('users')
    .select(sql<unknown>`(select ${groups} from group_members gm join groups g on g.tenant_id = gm.tenant_id and g.id = gm.group_id where gm.tenant_id = users.tenant_id and gm.member_id = users.id)`.as('roster_groups'))
    .select(
      sql<unknown>`(select ${sql.raw(JSON_ARRAY[adapter.engine])}(m.id, ${managerDisplay}, m.user_name) from users m where m.tenant_id = users.tenant_id and m.id = ${managerId} and m.deleted_at is null)`.as('roster_manager'),
    )
    .where('tenant_id', '=', tenantId)
    .where(key, '=', value);
  return key === 'id' ? query : query.where('deleted_at', 'is', null);
}

type UserWithGroupsRow = UsersTable & { roster_groups: unknown; roster_manager: unknown };

const userWithGroups = new Map<string, ReusedStatement<UserWithGroupsRow>>();

function userWithGroupsStatement(adapter: DialectAdapter, key: UserReadKey): ReusedStatement<UserWithGroupsRow> {
  const name = `${adapter.engine} ${key}`;
  let statement = userWithGroups.get(name);
  if (statement === undefined) {
    statement = new ReusedStatement(2, (db, tenantId, value) => userWithGroupsQuery(db, adapter, key, tenantId, value));
    userWithGroups.set(name, statement);
  }
  return statement;
}

/** Sorted as groupsOf sorts them (see there). */
function sortGroups<T extends { key: string; value: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => compareCodePoints(a.key, b.key) || compareCodePoints(a.value, b.value));
}

/** Every users column, in the order the hot writes bind them. */
const USER_COLUMNS = ['tenant_id', 'id', 'user_name', 'user_name_key', 'name_key', 'external_id', 'active', 'deleted_at', 'created_at', 'last_modified', 'version', 'data'] as const;
const userInsert = new ReusedInsert('users', USER_COLUMNS);
/** What an update writes: every column but the key and the creation time. */
const USER_CHANGES = USER_COLUMNS.filter((column) => column !== 'tenant_id' && column !== 'id' && column !== 'created_at');
const userUpdate = new ReusedStatement<unknown>(USER_CHANGES.length + 2, (db, ...slots) =>
  db
    .updateTable('users')
    .set(slotted<'users'>(USER_CHANGES, slots) as unknown as UpdateObject<Database, 'users'>)
    .where('tenant_id', '=', slots[USER_CHANGES.length] ?? '')
    .where('id', '=', slots[USER_CHANGES.length + 1] ?? ''),
);

export class SqlUserStore implements UserStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  /**
   * Runs a user write and its side-table writes as one unit (inside the caller's transaction
   * when there is one), with unique-key errors turned into `UniqueViolation`.
   */
  private async atomically(tenantId: string, work: (db: Kysely<Database>) => Promise<void>): Promise<void> {
    await translateUniqueKeyError(this.adapter, () => (this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work)));
    noteWrite(tenantId);
  }

  insert(user: UserRecord): Promise<void> {
    return this.atomically(user.tenantId, async (db) => {
      await userInsert.execute(db, this.adapter, toRow(user));
      await writeEmailKeys(db, user.tenantId, user.id, user.data, false);
    });
  }

  update(user: UserRecord, before?: UserRecord): Promise<void> {
    const row = toRow(user);
    const { tenant_id: tenantId, id } = row;
    const display = userDisplay(user.data.displayName, user.userName);
    // Most updates (a title, `active`) leave the emails and the display as they were: their
    // side rows are then left alone, two or three statements fewer per write.
    const emailsKept = before !== undefined && sameKeys(emailKeys(before.data), emailKeys(user.data));
    const displayKept = before !== undefined && userDisplay(before.data.displayName, before.userName) === display;
    return this.atomically(tenantId, async (db) => {
      await userUpdate.execute(db, this.adapter, [...USER_CHANGES.map((column) => row[column]), tenantId, id]);
      if (!emailsKept) await writeEmailKeys(db, tenantId, id, user.data, true);
      if (!displayKept) await updateMembershipDisplays(db, tenantId, id, display);
    });
  }

  async get(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const [row] = await userById.execute(this.db, this.adapter, [tenantId, id]);
    return row === undefined ? undefined : toUser(row);
  }

  async getForUpdate(tenantId: string, id: string): Promise<UserRecord | undefined> {
    const query = this.db.selectFrom('users').selectAll().where('tenant_id', '=', tenantId).where('id', '=', id);
    const row = await (this.adapter.rowLocks ? query.forUpdate() : query).executeTakeFirst();
    return row === undefined ? undefined : toUser(row);
  }

  getWithGroups(tenantId: string, id: string): Promise<UserWithGroups | undefined> {
    return this.readWithGroups('id', tenantId, id);
  }

  findLiveWithGroups(tenantId: string, userNameKey: string): Promise<UserWithGroups | undefined> {
    return this.readWithGroups('user_name_key', tenantId, userNameKey);
  }

  private async readWithGroups(key: UserReadKey, tenantId: string, value: string): Promise<UserWithGroups | undefined> {
    const [row] = await userWithGroupsStatement(this.adapter, key).execute(this.db, this.adapter, [tenantId, value]);
    if (row === undefined) return undefined;
    const { roster_groups: encodedGroups, roster_manager: encodedManager, ...user } = row;
    const found = sortGroups((decodeJson<[string, string, string][] | null>(encodedGroups) ?? []).map(([value, display, key]) => ({ value, display, key })));
    const manager = decodeJson<[string, unknown, string] | null>(encodedManager);
    return {
      record: toUser(user),
      groups: found.map(({ value, display }) => ({ userId: user.id, value, display })),
      ...(manager === null ? {} : { manager: { id: manager[0], displayName: userDisplay(manager[1], manager[2]) } }),
    };
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

  async findCreateCandidate(tenantId: string, userName: string, externalId: string | null): Promise<UserRecord | undefined> {
    // One statement for what were two lookups on every create: the users with the userName
    // (the live one first, then the latest archived), then archived users with the externalId
    // (`= null` matches none). Each branch is served by its own index.
    const result = await sql<UsersTable>`select * from (
        select users.*, 0 as candidate_rank from users where tenant_id = ${tenantId} and user_name_key = ${foldCase(userName)}
        union all
        select users.*, 1 as candidate_rank from users where tenant_id = ${tenantId} and external_id = ${externalId} and deleted_at is not null
      ) as candidates
      order by candidate_rank, case when deleted_at is null then 0 else 1 end, deleted_at desc
      limit 1`.execute(this.db);
    const [row] = result.rows;
    return row === undefined ? undefined : toUser(row);
  }

  async list(tenantId: string, query: ListQuery): Promise<ListResult<UserRecord>> {
    return ListRunner.list(this.db, this.adapter, usersTable, tenantId, query, toUser);
  }

  async remove(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('group_members').where('tenant_id', '=', tenantId).where('member_id', '=', id).execute();
    // user_emails rows go with the user (foreign key cascade).
    await this.db.deleteFrom('users').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
    noteWrite(tenantId);
  }

  displayNames(tenantId: string, ids: readonly string[]): Promise<ReadonlyMap<string, string>> {
    return userDisplayNames(this.db, this.adapter, tenantId, ids);
  }

  async groupsOf(tenantId: string, userIds: readonly string[]): Promise<readonly UserGroupRecord[]> {
    if (userIds.length === 0) return [];
    // Sorted here, not by ORDER BY: SQLite (without statistics) would walk the tenant's
    // groups in display-name order to avoid a sort, costing every read O(groups) instead of
    // O(the user's groups). Code point order, as the filter compiler orders groups.
    // One user (every read of a user) runs the statement compiled once.
    const rows = userIds.length === 1 ? await groupsOfUser.execute(this.db, this.adapter, [tenantId, userIds[0]]) : await userGroupsQuery(this.db, tenantId, userIds).execute();
    return sortGroups(rows).map(({ userId, value, display }) => ({ userId, value, display }));
  }
}
