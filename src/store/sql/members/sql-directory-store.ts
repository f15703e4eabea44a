import { sql, type ExpressionBuilder, type Kysely, type SqlBool, type Expression } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type {
  DirectoryGroupQuery,
  DirectoryGroupRecord,
  DirectoryMemberQuery,
  DirectoryMemberRecord,
  DirectoryStore,
  MemberSortKey,
} from '../../directory-store.js';
import { decodeJson, type Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { foldCase } from '../fold.js';
import { toMember, type MemberRow } from './sql-member-store.js';

/** The member column each sort key orders by (each leads an index with tenant_id, then user_id: migrations 012 and 017). */
const SORT_COLUMNS = {
  userId: 'members.user_id',
  userName: 'members.user_name_key',
  createdAt: 'members.created_at',
  updatedAt: 'members.updated_at',
} as const satisfies Record<MemberSortKey, string>;

const MEMBER_COLUMNS = [
  'members.tenant_id',
  'members.user_id',
  'members.user_name',
  'members.user_name_key',
  'members.email',
  'members.email_key',
  'members.display_name',
  'members.status',
  'members.role',
  'members.role_managed',
  'members.roles',
  'members.hand_role',
  'members.access_group_id',
  'members.sign_in_method',
  'members.confirmed',
  'members.scim_managed',
  'members.formerly_scim_managed',
  'members.creator',
  'members.created_at',
  'members.updated_at',
] as const;

interface ProfileColumns {
  readonly data: unknown;
  readonly scim_id: string | null;
  readonly scim_created: string | null;
  readonly scim_last_modified: string | null;
  readonly scim_version: number | null;
}

/** A resource as events show it: attributes with id and meta (src/policy/resource-events.ts builds the same). */
function resourceJson(id: string, data: unknown, created: string, lastModified: string, version: number): JsonObject {
  return { id, ...decodeJson<JsonObject>(data), meta: { created, lastModified, version: Number(version) } };
}

function toDirectoryMember(row: MemberRow & ProfileColumns): DirectoryMemberRecord {
  const { data, scim_id: id, scim_created: created, scim_last_modified: lastModified, scim_version: version, ...member } = row;
  const profile = id === null || created === null || lastModified === null || version === null ? null : resourceJson(id, data, created, lastModified, version);
  return { member: toMember(member), profile };
}

export class SqlDirectoryStore implements DirectoryStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  /** Members joined with their SCIM users (hand-made members have none). */
  private selectMembers(tenantId: string) {
    return this.db
      .selectFrom('members')
      .leftJoin('users', (join) => join.onRef('users.tenant_id', '=', 'members.tenant_id').onRef('users.id', '=', 'members.user_id'))
      .select([
        ...MEMBER_COLUMNS,
        'users.data as data',
        'users.id as scim_id',
        'users.created_at as scim_created',
        'users.last_modified as scim_last_modified',
        'users.version as scim_version',
      ])
      .where('members.tenant_id', '=', tenantId);
  }

  async members(tenantId: string, query: DirectoryMemberQuery): Promise<readonly DirectoryMemberRecord[]> {
    return (await this.membersSelect(tenantId, query).execute()).map(toDirectoryMember);
  }

  /** The statement `members` runs (the query-plan test explains it). */
  membersSelect(tenantId: string, query: DirectoryMemberQuery) {
    const { role } = query;
    // The holders of a role, read on member_roles (migration 022) in member order, each
    // joined to its row: the page costs its own rows, not the tenant's members.
    let select = this.selectMembers(tenantId).$if(role !== undefined, (qb) =>
      qb
        .innerJoin('member_roles', (join) => join.onRef('member_roles.tenant_id', '=', 'members.tenant_id').onRef('member_roles.member_id', '=', 'members.user_id'))
        .where('member_roles.tenant_id', '=', tenantId)
        .where('member_roles.role', '=', role ?? ''),
    );
    // The same id, read where the rows come from (so the order costs no sort).
    const userId = role === undefined ? sql.ref<string>('members.user_id') : sql.ref<string>('member_roles.member_id');
    if (query.status !== undefined) select = select.where('members.status', '=', query.status);
    if (query.excludeArchived === true) select = select.where('members.status', '<>', 'archived');
    if (query.source !== undefined) select = select.where('members.scim_managed', '=', query.source === 'scim' ? 1 : 0);
    if (query.userName !== undefined) select = select.where('members.user_name_key', '=', foldCase(query.userName));
    if (query.email !== undefined) select = select.where('members.email_key', '=', foldCase(query.email));
    const { groupId, updatedSince, search } = query;
    if (groupId !== undefined) {
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('group_members')
            .select('group_members.member_id')
            .whereRef('group_members.tenant_id', '=', 'members.tenant_id')
            .where('group_members.group_id', '=', groupId)
            .whereRef('group_members.member_id', '=', 'members.user_id'),
        ),
      );
    }
    if (updatedSince !== undefined) select = select.where((eb) => this.changedSince(eb, tenantId, updatedSince));
    if (search !== undefined && search !== '') select = select.where((eb) => this.matches(eb, foldCase(search)));
    const column = SORT_COLUMNS[query.sort];
    const direction = query.descending ? 'desc' : 'asc';
    const { after } = query;
    if (after !== undefined) {
      const comparison = query.descending ? '<' : '>';
      select =
        query.sort === 'userId'
          ? select.where(userId, comparison, after.userId)
          : select.where((eb) =>
              eb.or([eb(column, comparison, after.value ?? ''), eb.and([eb(column, '=', after.value ?? ''), eb(userId, comparison, after.userId)])]),
            );
    }
    if (query.sort !== 'userId') select = select.orderBy(column, direction);
    return select.orderBy(userId, direction).limit(query.limit);
  }

  /**
   * The member row or its SCIM user changed since `since`, or one of its direct groups did
   * (joined or left, by the membership events; renamed, by group.updated: a group's lastModified
   * also moves when its members change, which is no change of this member). One uncorrelated
   * set of ids, each part read on an index by time (members_updated, users by lastModified,
   * events by type and time: migration 018), so the cost follows the changes, not the tenant.
   */
  private changedSince(eb: ExpressionBuilder<Database & { users: Database['users'] }, 'members'>, tenantId: string, since: string): Expression<SqlBool> {
    const memberId = sql<string>`${this.adapter.jsonText(sql.ref('events.payload'), ['memberId'])}`;
    const changedMembers = eb.selectFrom('members as changed').select('changed.user_id as id').where('changed.tenant_id', '=', tenantId).where('changed.updated_at', '>=', since);
    const changedUsers = eb.selectFrom('users as changed_user').select('changed_user.id as id').where('changed_user.tenant_id', '=', tenantId).where('changed_user.last_modified', '>=', since);
    const joinedOrLeft = eb
      .selectFrom('events')
      .select(memberId.as('id'))
      .where('events.tenant_id', '=', tenantId)
      .where('events.type', 'in', ['group.member_added', 'group.member_removed'])
      .where('events.occurred_at', '>=', since);
    const groupRenamed = eb
      .selectFrom('events as renamed')
      .innerJoin('group_members', (join) => join.onRef('group_members.tenant_id', '=', 'renamed.tenant_id').onRef('group_members.group_id', '=', 'renamed.resource_id'))
      .select('group_members.member_id as id')
      .where('renamed.tenant_id', '=', tenantId)
      .where('renamed.type', '=', 'group.updated')
      .where('renamed.occurred_at', '>=', since);
    return eb('members.user_id', 'in', changedMembers.unionAll(changedUsers).unionAll(joinedOrLeft).unionAll(groupRenamed));
  }

  /** `needle` (folded) inside the userName, the email, the display name or the SCIM name parts. */
  private matches(eb: ExpressionBuilder<Database, 'members'>, needle: string): Expression<SqlBool> {
    const { adapter } = this;
    const data = sql.ref('users.data');
    const texts = [
      sql.ref('members.user_name_key'),
      sql`coalesce(${sql.ref('members.email_key')}, '')`,
      sql`coalesce(${sql.ref('members.display_name')}, '')`,
      sql`coalesce(${adapter.jsonText(data, ['name', 'givenName'])}, '')`,
      sql`coalesce(${adapter.jsonText(data, ['name', 'familyName'])}, '')`,
      sql`coalesce(${adapter.jsonText(data, ['name', 'formatted'])}, '')`,
    ];
    return eb.or(texts.map((text) => adapter.contains(adapter.fold(text), needle)));
  }

  async member(tenantId: string, userId: string): Promise<DirectoryMemberRecord | undefined> {
    const row = await this.selectMembers(tenantId).where('members.user_id', '=', userId).executeTakeFirst();
    return row === undefined ? undefined : toDirectoryMember(row);
  }

  private selectGroups(tenantId: string) {
    return this.db
      .selectFrom('groups')
      .select((eb) => [
        'groups.id',
        'groups.display_name',
        'groups.external_id',
        'groups.data',
        'groups.created_at',
        'groups.last_modified',
        'groups.version',
        eb
          .selectFrom('group_members')
          .select((inner) => inner.fn.countAll<number>().as('n'))
          .whereRef('group_members.tenant_id', '=', 'groups.tenant_id')
          .whereRef('group_members.group_id', '=', 'groups.id')
          .as('member_count'),
      ])
      .where('groups.tenant_id', '=', tenantId);
  }

  async groups(tenantId: string, query: DirectoryGroupQuery): Promise<{ rows: readonly DirectoryGroupRecord[]; total: number }> {
    let select = this.selectGroups(tenantId).orderBy('groups.created_at').orderBy('groups.id').limit(query.limit);
    const { after } = query;
    if (after !== undefined) {
      select = select.where((eb) => eb.or([eb('groups.created_at', '>', after.created), eb.and([eb('groups.created_at', '=', after.created), eb('groups.id', '>', after.id)])]));
    }
    else if (query.offset !== undefined && query.offset > 0) select = select.offset(query.offset);
    const rows = await select.execute();
    const count = await this.db
      .selectFrom('groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    return { rows: rows.map(toDirectoryGroup), total: Number(count.n) };
  }

  async group(tenantId: string, groupId: string): Promise<DirectoryGroupRecord | undefined> {
    const row = await this.selectGroups(tenantId).where('groups.id', '=', groupId).executeTakeFirst();
    return row === undefined ? undefined : toDirectoryGroup(row);
  }
}

function toDirectoryGroup(row: {
  id: string;
  display_name: string;
  external_id: string | null;
  data: unknown;
  created_at: string;
  last_modified: string;
  version: number;
  member_count: number | null;
}): DirectoryGroupRecord {
  return {
    id: row.id,
    displayName: row.display_name,
    externalId: row.external_id,
    profile: resourceJson(row.id, row.data, row.created_at, row.last_modified, row.version),
    memberCount: Number(row.member_count ?? 0),
    created: row.created_at,
  };
}
