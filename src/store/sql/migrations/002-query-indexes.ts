import type { Kysely } from 'kysely';
import { backfillEmailKeys } from '../query/email-index.js';
import type { RosterMigration } from './types.js';

/**
 * Indexes for the filters IdPs send. The email side index (query/email-index.ts): one row per folded email value of a user, so
 * that `emails.value eq` runs on an index. The covering index on (tenant_id, value_key,
 * user_id) answers the lookup without reading the table. Rows go with their user (cascade),
 * also when a tenant is removed. Existing users are indexed here. The membership index by
 * member becomes covering.
 */
export const queryIndexes: RosterMigration = {
  name: '002-query-indexes',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('user_emails')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('value_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_emails_pk', ['tenant_id', 'user_id', 'value_key'])
      .addForeignKeyConstraint('user_emails_user', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
    await db.schema.createIndex('user_emails_value').on('user_emails').columns(['tenant_id', 'value_key', 'user_id']).execute();
    await backfillEmailKeys(db);
    // `members.value eq` and a user's groups look memberships up by member; with group_id in
    // the index the lookup needs no table access, so planners prefer it to the primary key.
    await db.schema.dropIndex('group_members_member').execute();
    await db.schema.createIndex('group_members_member').on('group_members').columns(['tenant_id', 'member_id', 'group_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('group_members_member').execute();
    await db.schema.createIndex('group_members_member').on('group_members').columns(['tenant_id', 'member_id']).execute();
    await db.schema.dropTable('user_emails').ifExists().execute();
  },
};
