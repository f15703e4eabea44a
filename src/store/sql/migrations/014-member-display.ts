import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * A membership row keeps its member's display (a user's displayName, else userName; a group's
 * displayName). A full read of a 100,000-member group joined every member's user row and
 * extracted displayName from its document: a random read and a JSON parse per member, most
 * of the read's time at a million users. The stores keep the copy current when a user or a
 * group is renamed (one indexed statement on the member's own rows).
 */
export const membershipDisplay: RosterMigration = {
  name: '014-member-display',
  async up(db: Kysely<unknown>, context: MigrationContext): Promise<void> {
    await db.schema.alterTable('group_members').addColumn('member_display', 'text').execute();
    const displayName = context.jsonType === 'jsonb' ? sql`u.data #>> '{displayName}'` : sql`json_extract(u.data, '$.displayName')`;
    await sql`update group_members set member_display = (
        select coalesce(${displayName}, u.user_name) from users u where u.tenant_id = group_members.tenant_id and u.id = group_members.member_id
      ) where member_type = 'User'`.execute(db);
    await sql`update group_members set member_display = (
        select g.display_name from groups g where g.tenant_id = group_members.tenant_id and g.id = group_members.member_id
      ) where member_type = 'Group'`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('group_members').dropColumn('member_display').execute();
  },
};
