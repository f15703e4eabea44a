import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Unfiltered pages of users skip `startIndex - 1` live users in creation order. users_created
 * does not hold deleted_at, so each skipped entry cost a read of its table row: a page deep in
 * a 1,000,000-user tenant read half the table. This partial index holds only live users, so
 * the skip reads the index alone (ListRunner.rows selects the page's ids from it first).
 */
export const liveUsersByCreation: RosterMigration = {
  name: '013-live-users-by-creation',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('users_live_created').on('users').columns(['tenant_id', 'created_at', 'id']).where(sql.ref('deleted_at'), 'is', null).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('users_live_created').execute();
  },
};
