import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * The management API pages members sorted by createdAt or updatedAt (ties by user id) with a
 * keyset; these indexes let each page start where the last ended instead of sorting the
 * tenant. Sorting by userName uses members_user_name (migration 012), by user id the key.
 */
export const memberSortIndexes: RosterMigration = {
  name: '017-member-sort-indexes',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('members_created').on('members').columns(['tenant_id', 'created_at', 'user_id']).execute();
    await db.schema.createIndex('members_updated').on('members').columns(['tenant_id', 'updated_at', 'user_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('members_updated').execute();
    await db.schema.dropIndex('members_created').execute();
  },
};
