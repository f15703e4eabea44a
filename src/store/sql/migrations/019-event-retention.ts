import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Event retention and erasure (docs/security.md, "What is kept").
 *
 * - `event_horizons`: per tenant, the last event pruning removed (its `seq` and
 *   `position_key`). Pruning removes a prefix of each tenant's outbox, so a feed position at
 *   or after this event continues without a gap, and one before it would skip events: the
 *   feed answers 410 then. One row per tenant, written by the pruning batch itself.
 * - `events_by_resource`: a resource's events, so that a hard delete erases its user's
 *   personal data from the outbox with an indexed update inside its transaction.
 * - `erasures`: erasure work committed with the deletion that requires it (deleting the SCIM
 *   setup; a user's hard delete, for the log entries that name it), done by a background task in batches, with its progress: it resumes after a
 *   restart and is removed only when finished.
 */
export const eventRetention: RosterMigration = {
  name: '019-event-retention',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('event_horizons')
      .addColumn('tenant_id', 'text', (c) => c.primaryKey().references('tenants.id').onDelete('cascade'))
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('position_key', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('event_horizons_position').on('event_horizons').columns(['position_key', 'tenant_id', 'seq']).execute();
    await db.schema.createIndex('events_by_resource').on('events').columns(['tenant_id', 'resource_id']).execute();
    await db.schema
      .createTable('erasures')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      // What it covers: the events up to this seq, the log entries started up to created_at.
      .addColumn('up_to_seq', 'bigint', (c) => c.notNull())
      // One user's erasure: what identifies it (JSON array), to find the log entries that name
      // it without having written it (reads filtering on it, refused writes); null for all users.
      .addColumn('terms', 'text')
      // Progress: the last event seq and the last log entry (started_at, id) already erased.
      .addColumn('event_seq', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('log_started_at', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('log_id', 'text', (c) => c.notNull().defaultTo(''))
      .addPrimaryKeyConstraint('erasures_pk', ['tenant_id', 'id'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('erasures').ifExists().execute();
    await db.schema.dropIndex('events_by_resource').ifExists().execute();
    await db.schema.dropTable('event_horizons').ifExists().execute();
  },
};
