import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * The member list's `updatedSince` reads a tenant's membership and group.updated events since
 * a time: this index lets it read only those, instead of every event of the tenant.
 */
export const eventsByTypeAndTime: RosterMigration = {
  name: '018-events-by-type-and-time',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.createIndex('events_tenant_type_time').on('events').columns(['tenant_id', 'type', 'occurred_at']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('events_tenant_type_time').execute();
  },
};
