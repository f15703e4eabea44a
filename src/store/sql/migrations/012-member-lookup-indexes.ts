import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * The member lookups by userName and by email take the first match by user_id. With only
 * (tenant_id, key) indexed, SQLite answered that ORDER BY by walking the tenant's primary
 * key, which read every member of the tenant on every SCIM create (linking a hand-made
 * member). With user_id last in the index, the lookup is one index search on both engines.
 */
export const memberLookupIndexes: RosterMigration = {
  name: '012-member-lookup-indexes',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('members_user_name').execute();
    await db.schema.dropIndex('members_email').execute();
    await db.schema.createIndex('members_user_name').on('members').columns(['tenant_id', 'user_name_key', 'user_id']).execute();
    await db.schema.createIndex('members_email').on('members').columns(['tenant_id', 'email_key', 'user_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('members_user_name').execute();
    await db.schema.dropIndex('members_email').execute();
    await db.schema.createIndex('members_user_name').on('members').columns(['tenant_id', 'user_name_key']).execute();
    await db.schema.createIndex('members_email').on('members').columns(['tenant_id', 'email_key']).execute();
  },
};
