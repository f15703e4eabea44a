import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * Members (the product's view of each SCIM user: status, role, sign-in method) and the
 * changes that wait while a tenant's automatic sync is off. Members have no foreign key to
 * users: members made by hand have no SCIM user, and a member outlives a SCIM user removed
 * with the SCIM setup. Existing users become members here, as provisioning would have made
 * them (no sign-in secret: like a random one, it has to be reset).
 */
export const members: RosterMigration = {
  name: '005-members',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    await db.schema
      .createTable('members')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('user_name_key', 'text', (c) => c.notNull())
      .addColumn('email', 'text')
      .addColumn('email_key', 'text')
      .addColumn('display_name', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('role', 'text', (c) => c.notNull())
      .addColumn('role_managed', 'integer', (c) => c.notNull())
      .addColumn('access_group_id', 'text')
      .addColumn('sign_in_method', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text')
      .addColumn('confirmed', 'integer', (c) => c.notNull())
      .addColumn('scim_managed', 'integer', (c) => c.notNull())
      .addColumn('creator', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('members_pk', ['tenant_id', 'user_id'])
      .execute();
    // Sign-in decisions look members up by userName or email; seat counts by status.
    await db.schema.createIndex('members_user_name').on('members').columns(['tenant_id', 'user_name_key']).execute();
    await db.schema.createIndex('members_email').on('members').columns(['tenant_id', 'email_key']).execute();
    await db.schema.createIndex('members_status').on('members').columns(['tenant_id', 'status', 'role']).execute();

    await db.schema
      .createTable('pending_changes')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('detail', jsonType, (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('pending_changes_pk', ['tenant_id', 'seq'])
      .execute();
    await db.schema.createIndex('pending_changes_user').on('pending_changes').columns(['tenant_id', 'user_id', 'seq']).execute();

    await sql`
      insert into members (tenant_id, user_id, user_name, user_name_key, email, email_key, display_name, status, role, role_managed,
                           access_group_id, sign_in_method, secret_hash, confirmed, scim_managed, creator, created_at, updated_at)
      select tenant_id, id, user_name, user_name_key, null, null, null,
             case when deleted_at is null and active = 1 then 'active' else 'archived' end,
             'member', 0, null, 'password', null, 1, 1, 0, created_at, last_modified
      from users`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('pending_changes').ifExists().execute();
    await db.schema.dropTable('members').ifExists().execute();
  },
};
