import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Group displayName unique per tenant, case-insensitively: Entra ID matches groups by
 * displayName and requires it unique, and JumpCloud takes over a group whose name matches
 * (docs/idp-rules.md). RFC 7643 allows this (uniqueness is the provider's choice).
 */
export const uniqueGroupNames: RosterMigration = {
  name: '004-unique-group-names',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('groups_display_name_key').execute();
    await db.schema.createIndex('groups_display_name_key').on('groups').columns(['tenant_id', 'display_name_key']).unique().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('groups_display_name_key').execute();
    await db.schema.createIndex('groups_display_name_key').on('groups').columns(['tenant_id', 'display_name_key']).execute();
  },
};
