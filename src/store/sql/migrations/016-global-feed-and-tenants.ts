import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * The global event feed and tenant lifecycle.
 *
 * - `events.position_key`: the event's place in the feed of every tenant, ordered by
 *   (position_key, tenant_id, seq). On PostgreSQL it is the writing transaction's id (or the
 *   tenant's previous key, if larger); on SQLite a counter (docs/events.md says why each
 *   never lets a reader pass an event that commits later). Events written before are 0: they
 *   come first, per tenant in seq order.
 * - `tenants.event_position`: the tenant's last position_key (PostgreSQL), read and raised
 *   under the same row lock that numbers the tenant's events.
 * - `event_positions`: SQLite's counter (one row, id 1).
 * - `tenants.external_id` (the product's organisation id, unique) and `tenants.deleted_at`
 *   (a deleted tenant, gone for every API while its rows are purged in the background;
 *   `purged_at` once they are: the row stays, with its `tenant.deleted` event, as a tombstone).
 */
export const globalFeedAndTenants: RosterMigration = {
  name: '016-global-feed-and-tenants',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema.alterTable('events').addColumn('position_key', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.createIndex('events_position').on('events').columns(['position_key', 'tenant_id', 'seq']).execute();
    await db.schema.createIndex('events_type_position').on('events').columns(['type', 'position_key', 'tenant_id', 'seq']).execute();
    await db.schema.alterTable('tenants').addColumn('event_position', 'bigint', (c) => c.notNull().defaultTo(0)).execute();
    await db.schema.alterTable('tenants').addColumn('external_id', 'text').execute();
    await db.schema.alterTable('tenants').addColumn('deleted_at', 'text').execute();
    await db.schema.alterTable('tenants').addColumn('purged_at', 'text').execute();
    await db.schema.createIndex('tenants_external_id').on('tenants').column('external_id').unique().execute();
    await db.schema
      .createTable('event_positions')
      .addColumn('id', 'integer', (c) => c.primaryKey())
      .addColumn('value', 'bigint', (c) => c.notNull())
      .execute();
    await sql`insert into event_positions (id, value) values (1, 0)`.execute(db);
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('event_positions').ifExists().execute();
    await db.schema.dropIndex('tenants_external_id').ifExists().execute();
    await db.schema.alterTable('tenants').dropColumn('purged_at').execute();
    await db.schema.alterTable('tenants').dropColumn('deleted_at').execute();
    await db.schema.alterTable('tenants').dropColumn('external_id').execute();
    await db.schema.alterTable('tenants').dropColumn('event_position').execute();
    await db.schema.dropIndex('events_type_position').ifExists().execute();
    await db.schema.dropIndex('events_position').ifExists().execute();
    await db.schema.alterTable('events').dropColumn('position_key').execute();
  },
};
