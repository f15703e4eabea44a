import type { Kysely } from 'kysely';
import type { MemberListQuery, MemberMark, MemberStatus, MemberStore, SignInMethod, TenantMemberRecord } from '../../member-store.js';
import type { Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { foldCase } from '../fold.js';
import type { MembersTable } from '../member-tables.js';
import { translateUniqueKeyError } from '../unique-key-error.js';
import { ReusedInsert } from '../query/reused-write.js';

/** Bound parameters per statement stay well under every engine's limit. */
const CHUNK = 500;

/** A member row as reads return it: without the secret. */
export type MemberRow = Omit<MembersTable, 'secret_hash'>;

function rolesOf(row: MemberRow): string[] {
  if (row.roles === null) return [row.role];
  const roles: unknown = JSON.parse(row.roles);
  return Array.isArray(roles) && roles.length > 0 ? roles.map(String) : [row.role];
}

/** The roles a member holds as reads return them: never none (`role` then). */
function heldRoles(member: TenantMemberRecord): string[] {
  return member.roles.length === 0 ? [member.role] : [...new Set(member.roles)];
}

function sameRoles(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((role, index) => role === b[index]);
}

/**
 * The members holding `role` anywhere in their roles, read on the index of member_roles
 * (migration 022) rather than the JSON list of each member of the tenant.
 */
function holdersOfRole(db: Kysely<Database>, tenantId: string, role: string) {
  return db.selectFrom('member_roles').select('member_roles.member_id').where('member_roles.tenant_id', '=', tenantId).where('member_roles.role', '=', role);
}

export function toMember(row: MemberRow): TenantMemberRecord {
  return {
    tenantId: row.tenant_id,
    userId: row.user_id,
    userName: row.user_name,
    email: row.email,
    displayName: row.display_name,
    status: row.status as MemberStatus,
    role: row.role,
    roles: rolesOf(row),
    handRole: row.hand_role,
    roleManaged: Number(row.role_managed) === 1,
    accessGroupId: row.access_group_id,
    signInMethod: row.sign_in_method as SignInMethod,
    confirmed: Number(row.confirmed) === 1,
    scimManaged: Number(row.scim_managed) === 1,
    formerlyScimManaged: Number(row.formerly_scim_managed) === 1,
    creator: Number(row.creator) === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Every column but the keys, the secret and created_at. */
function changesOf(member: TenantMemberRecord) {
  return {
    user_name: member.userName,
    user_name_key: foldCase(member.userName),
    email: member.email,
    email_key: member.email === null ? null : foldCase(member.email),
    display_name: member.displayName,
    status: member.status,
    role: member.role,
    roles: JSON.stringify(member.roles),
    hand_role: member.handRole,
    role_managed: member.roleManaged ? 1 : 0,
    access_group_id: member.accessGroupId,
    sign_in_method: member.signInMethod,
    confirmed: member.confirmed ? 1 : 0,
    scim_managed: member.scimManaged ? 1 : 0,
    formerly_scim_managed: member.formerlyScimManaged ? 1 : 0,
    creator: member.creator ? 1 : 0,
    updated_at: member.updatedAt,
  };
}

/** Columns every read selects: all but the secret, which no read returns. */
const COLUMNS = [
  'tenant_id',
  'user_id',
  'user_name',
  'user_name_key',
  'email',
  'email_key',
  'display_name',
  'status',
  'role',
  'role_managed',
  'roles',
  'hand_role',
  'access_group_id',
  'sign_in_method',
  'confirmed',
  'scim_managed',
  'formerly_scim_managed',
  'creator',
  'created_at',
  'updated_at',
] as const;

/** A member row as the policy inserts it with every new user: every column, the secret too. */
const memberInsert = new ReusedInsert('members', [...COLUMNS, 'secret_hash']);

/** A member's one role, the usual case at creation. */
const memberRoleInsert = new ReusedInsert('member_roles', ['tenant_id', 'role', 'member_id']);

/**
 * The first member (by user_id) whose folded userName or email is `key`, optionally only among
 * members not provisioned by SCIM. Runs on every SCIM create, so it must stay one index search
 * (migration 012; the query-plan test explains it).
 */
export function memberLookup(db: Kysely<Database>, tenantId: string, column: 'user_name_key' | 'email_key', key: string, unmanagedOnly: boolean) {
  const query = db.selectFrom('members').select(COLUMNS).where('tenant_id', '=', tenantId).where(column, '=', key);
  return (unmanagedOnly ? query.where('scim_managed', '=', 0) : query).orderBy('user_id').limit(1);
}

/** Marks the direct members of these groups changed at `at` (MemberStore.touchMembersOf); one statement. */
export async function touchMembersOfGroups(db: Kysely<Database>, tenantId: string, groupIds: readonly string[], at: string): Promise<void> {
  if (groupIds.length === 0) return;
  await db
    .updateTable('members')
    .set({ updated_at: at })
    .where('tenant_id', '=', tenantId)
    .where('user_id', 'in', (eb) => eb.selectFrom('group_members').select('member_id').where('tenant_id', '=', tenantId).where('group_id', 'in', groupIds))
    .execute();
}

export class SqlMemberStore implements MemberStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  private select(tenantId: string) {
    return this.db.selectFrom('members').select(COLUMNS).where('tenant_id', '=', tenantId);
  }

  async insert(member: TenantMemberRecord, secretHash: string | null): Promise<void> {
    await translateUniqueKeyError(this.adapter, () =>
      memberInsert.execute(this.db, this.adapter, { tenant_id: member.tenantId, user_id: member.userId, ...changesOf(member), secret_hash: secretHash, created_at: member.createdAt }),
    );
    const roles = heldRoles(member);
    // A new member usually holds one role: that insert is compiled once, like the member's.
    if (roles.length === 1) await memberRoleInsert.execute(this.db, this.adapter, { tenant_id: member.tenantId, role: roles[0], member_id: member.userId });
    else await this.db.insertInto('member_roles').values(roles.map((role) => ({ tenant_id: member.tenantId, role, member_id: member.userId }))).execute();
  }

  async update(member: TenantMemberRecord, previousRoles?: readonly string[]): Promise<void> {
    await this.db.updateTable('members').set(changesOf(member)).where('tenant_id', '=', member.tenantId).where('user_id', '=', member.userId).execute();
    if (previousRoles === undefined || !sameRoles(previousRoles, member.roles)) await this.saveRoles(member);
  }

  /**
   * Makes the member's rows of member_roles its roles. A rekey moves them and a removal takes
   * them (the foreign key's cascades), so this is the only other place that writes them.
   */
  private async saveRoles(member: TenantMemberRecord): Promise<void> {
    const roles = heldRoles(member);
    await this.db.deleteFrom('member_roles').where('tenant_id', '=', member.tenantId).where('member_id', '=', member.userId).where('role', 'not in', roles).execute();
    await this.db
      .insertInto('member_roles')
      .values(roles.map((role) => ({ tenant_id: member.tenantId, role, member_id: member.userId })))
      .onConflict((oc) => oc.doNothing())
      .execute();
  }

  async get(tenantId: string, userId: string): Promise<TenantMemberRecord | undefined> {
    const row = await this.select(tenantId).where('user_id', '=', userId).executeTakeFirst();
    return row === undefined ? undefined : toMember(row);
  }

  async getMany(tenantId: string, userIds: readonly string[]): Promise<ReadonlyMap<string, TenantMemberRecord>> {
    const found = new Map<string, TenantMemberRecord>();
    const ids = [...new Set(userIds)];
    for (let i = 0; i < ids.length; i += CHUNK) {
      const rows = await this.select(tenantId).where('user_id', 'in', ids.slice(i, i + CHUNK)).execute();
      for (const row of rows) found.set(row.user_id, toMember(row));
    }
    return found;
  }

  async findUnmanagedByUserName(tenantId: string, userName: string): Promise<TenantMemberRecord | undefined> {
    const row = await memberLookup(this.db, tenantId, 'user_name_key', foldCase(userName), true).executeTakeFirst();
    return row === undefined ? undefined : toMember(row);
  }

  async findByIdentifier(tenantId: string, identifier: string): Promise<TenantMemberRecord | undefined> {
    const key = foldCase(identifier);
    const byName = await memberLookup(this.db, tenantId, 'user_name_key', key, false).executeTakeFirst();
    const row = byName ?? (await memberLookup(this.db, tenantId, 'email_key', key, false).executeTakeFirst());
    return row === undefined ? undefined : toMember(row);
  }

  async rekey(tenantId: string, fromUserId: string, toUserId: string): Promise<void> {
    await translateUniqueKeyError(this.adapter, () =>
      this.db.updateTable('members').set({ user_id: toUserId }).where('tenant_id', '=', tenantId).where('user_id', '=', fromUserId).execute(),
    );
  }

  async remove(tenantId: string, userId: string): Promise<void> {
    await this.db.deleteFrom('members').where('tenant_id', '=', tenantId).where('user_id', '=', userId).execute();
  }

  async countActive(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async countActiveWithRole(tenantId: string, role: string): Promise<number> {
    const row = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'active')
      .where('role', '=', role)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async lockTenant(tenantId: string): Promise<void> {
    const query = this.db.selectFrom('tenants').select('id').where('id', '=', tenantId);
    await (this.adapter.rowLocks ? query.forUpdate() : query).executeTakeFirst();
  }

  async list(tenantId: string, query: MemberListQuery): Promise<readonly TenantMemberRecord[]> {
    let select = this.select(tenantId);
    if (query.status !== undefined) select = select.where('status', '=', query.status);
    const { role } = query;
    if (role !== undefined) select = select.where('user_id', 'in', holdersOfRole(this.db, tenantId, role));
    if (query.after !== undefined) select = select.where('user_id', '>', query.after);
    const rows = await select.orderBy('user_id').limit(query.limit).execute();
    return rows.map(toMember);
  }

  async listMarked(tenantId: string, mark: MemberMark, afterUserId: string | null, limit: number): Promise<readonly TenantMemberRecord[]> {
    let select = this.select(tenantId);
    switch (mark) {
      case 'assigned':
        select = select.where((eb) => eb.or([eb('role_managed', '=', 1), eb('access_group_id', 'is not', null)]));
        break;
      case 'roleManaged':
        select = select.where('role_managed', '=', 1);
        break;
      case 'scimManaged':
        select = select.where('scim_managed', '=', 1);
        break;
    }
    if (afterUserId !== null) select = select.where('user_id', '>', afterUserId);
    return (await select.orderBy('user_id').limit(limit).execute()).map(toMember);
  }

  async creator(tenantId: string): Promise<TenantMemberRecord | undefined> {
    const row = await this.select(tenantId).where('creator', '=', 1).orderBy('user_id').executeTakeFirst();
    return row === undefined ? undefined : toMember(row);
  }

  async touchMembersOf(tenantId: string, groupIds: readonly string[], at: string): Promise<void> {
    await touchMembersOfGroups(this.db, tenantId, groupIds, at);
  }

  async countActiveScimManaged(tenantId: string): Promise<number> {
    const row = await this.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('tenant_id', '=', tenantId)
      .where('status', '=', 'active')
      .where('scim_managed', '=', 1)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}
