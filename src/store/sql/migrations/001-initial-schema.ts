import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * Tenants, tokens, users, groups, memberships and the event outbox. tenant_id leads every
 * primary key and index of tenant data, so that the tables can be distributed by tenant.
 */
export const initialSchema: RosterMigration = {
  name: '001-initial-schema',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    await db.schema
      .createTable('tenants')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('settings', jsonType, (c) => c.notNull())
      .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .execute();

    await db.schema
      .createTable('api_tokens')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('expires_at', 'text')
      .addColumn('revoked_at', 'text')
      .addPrimaryKeyConstraint('api_tokens_pk', ['tenant_id', 'id'])
      .execute();
    // Tokens are looked up by hash before the tenant is known.
    await db.schema.createIndex('api_tokens_hash').on('api_tokens').column('token_hash').unique().execute();

    await db.schema
      .createTable('users')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('user_name', 'text', (c) => c.notNull())
      .addColumn('user_name_key', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('deleted_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_modified', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('data', jsonType, (c) => c.notNull())
      .addPrimaryKeyConstraint('users_pk', ['tenant_id', 'id'])
      .execute();
    // userName is unique among live users only: an archived (deleted) user does not block a new
    // one (RFC 7644 §3.6), and a POST of its userName restores it instead.
    await db.schema
      .createIndex('users_live_user_name')
      .on('users')
      .columns(['tenant_id', 'user_name_key'])
      .unique()
      .where(sql.ref('deleted_at'), 'is', null)
      .execute();
    await db.schema.createIndex('users_user_name_key').on('users').columns(['tenant_id', 'user_name_key']).execute();
    await db.schema.createIndex('users_external_id').on('users').columns(['tenant_id', 'external_id']).execute();
    await db.schema.createIndex('users_created').on('users').columns(['tenant_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('users_last_modified').on('users').columns(['tenant_id', 'last_modified']).execute();

    await db.schema
      .createTable('groups')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('display_name', 'text', (c) => c.notNull())
      .addColumn('display_name_key', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_modified', 'text', (c) => c.notNull())
      .addColumn('version', 'integer', (c) => c.notNull())
      .addColumn('data', jsonType, (c) => c.notNull())
      .addPrimaryKeyConstraint('groups_pk', ['tenant_id', 'id'])
      .execute();
    await db.schema.createIndex('groups_display_name_key').on('groups').columns(['tenant_id', 'display_name_key']).execute();
    await db.schema.createIndex('groups_external_id').on('groups').columns(['tenant_id', 'external_id']).execute();
    await db.schema.createIndex('groups_created').on('groups').columns(['tenant_id', 'created_at', 'id']).execute();
    await db.schema.createIndex('groups_last_modified').on('groups').columns(['tenant_id', 'last_modified']).execute();

    await db.schema
      .createTable('group_members')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('group_id', 'text', (c) => c.notNull())
      .addColumn('member_id', 'text', (c) => c.notNull())
      .addColumn('member_type', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('group_members_pk', ['tenant_id', 'group_id', 'member_id'])
      .addForeignKeyConstraint('group_members_group', ['tenant_id', 'group_id'], 'groups', ['tenant_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
    await db.schema.createIndex('group_members_member').on('group_members').columns(['tenant_id', 'member_id']).execute();

    await db.schema
      .createTable('events')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('resource_type', 'text', (c) => c.notNull())
      .addColumn('resource_id', 'text', (c) => c.notNull())
      .addColumn('occurred_at', 'text', (c) => c.notNull())
      .addColumn('payload', jsonType, (c) => c.notNull())
      .addPrimaryKeyConstraint('events_pk', ['tenant_id', 'seq'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    for (const table of ['events', 'group_members', 'groups', 'users', 'api_tokens', 'tenants']) {
      await db.schema.dropTable(table).ifExists().execute();
    }
  },
};
