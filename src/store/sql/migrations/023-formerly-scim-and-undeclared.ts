import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Two things an admin needs to see:
 * - `members.formerly_scim_managed`: the member came from SCIM before the tenant deleted its
 *   SCIM setup, so the console can say "formerly provisioned" rather than "added by hand".
 * - `undeclared_attributes`: attributes IdPs sent that the tenant's schemas do not declare
 *   (ignored, as the default lenient reading does), one row per tenant and attribute path with
 *   how often and when, so the admin sees what to declare as a custom attribute.
 */
export const formerlyScimAndUndeclared: RosterMigration = {
  name: '023-formerly-scim-and-undeclared',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('members').addColumn('formerly_scim_managed', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema
      .createTable('undeclared_attributes')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      // As sent, folded to lower case: `urn:…:2.0:user:costcenter`, `nickname2`.
      .addColumn('path', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('first_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .addColumn('last_user_id', 'text')
      .addPrimaryKeyConstraint('undeclared_attributes_pk', ['tenant_id', 'path'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('undeclared_attributes').ifExists().execute();
    await db.schema.alterTable('members').dropColumn('formerly_scim_managed').execute();
  },
};
