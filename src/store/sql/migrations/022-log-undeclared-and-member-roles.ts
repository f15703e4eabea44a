import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * Two things the console needs:
 * - `provisioning_log.undeclared`: the attribute paths a write carried that the tenant's
 *   schemas do not declare (names only, never values), as a JSON list; null when none.
 * - `member_roles`: one row per member and role it holds, so that listing the holders of a
 *   role reads an index instead of the JSON list of every member of the tenant. Kept with
 *   the member row (the key follows it when it is rekeyed, and goes with it).
 */
export const logUndeclaredAndMemberRoles: RosterMigration = {
  name: '022-log-undeclared-and-member-roles',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    await db.schema.alterTable('provisioning_log').addColumn('undeclared', jsonType).execute();
    await db.schema
      .createTable('member_roles')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('member_roles_pk', ['tenant_id', 'role', 'member_id'])
      .addForeignKeyConstraint('member_roles_member', ['tenant_id', 'member_id'], 'members', ['tenant_id', 'user_id'], (c) => c.onDelete('cascade').onUpdate('cascade'))
      .execute();
    // The cascades find a member's rows by this index.
    await db.schema.createIndex('member_roles_member').on('member_roles').columns(['tenant_id', 'member_id']).execute();
    // Members before migration 020 have no list (null): their role is their only one, as
    // the store reads them; so is an empty list.
    const listed = sql`case when m.roles is null or m.roles = '[]' then null else m.roles end`;
    if (jsonType === 'jsonb') {
      await sql`insert into member_roles (tenant_id, role, member_id)
        select distinct m.tenant_id, r.value, m.user_id
          from members m cross join lateral jsonb_array_elements_text(coalesce((${listed})::jsonb, jsonb_build_array(m.role))) as r(value)`.execute(db);
    } else {
      await sql`insert into member_roles (tenant_id, role, member_id)
        select distinct m.tenant_id, r.value, m.user_id
          from members m, json_each(coalesce(${listed}, json_array(m.role))) r`.execute(db);
    }
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('member_roles').ifExists().execute();
    await db.schema.alterTable('provisioning_log').dropColumn('undeclared').execute();
  },
};
