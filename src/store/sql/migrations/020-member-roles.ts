import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Members hold several roles (every role their groups give, plus one set by hand), ranked,
 * `role` staying the first. `roles` is the ranked list as JSON text (null reads as `[role]`,
 * so existing rows need no rewrite); `hand_role` is the role set by hand, kept beside the
 * roles groups give: for existing members whose role SCIM did not set, that is their role.
 */
export const memberRoles: RosterMigration = {
  name: '020-member-roles',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('members').addColumn('roles', 'text').execute();
    await db.schema.alterTable('members').addColumn('hand_role', 'text').execute();
    await sql`update members set hand_role = role where role_managed = 0`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('members').dropColumn('hand_role').execute();
    await db.schema.alterTable('members').dropColumn('roles').execute();
  },
};
