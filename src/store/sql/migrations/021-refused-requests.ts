import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * SCIM requests refused for want of valid credentials are counted, not logged one by one:
 * one row per tenant and minute with how many, and the last one's time and user agent. So
 * whoever knows a tenant id adds at most a row a minute to that tenant's data, however many
 * requests it sends. Entries such requests left in `provisioning_log` stay until retention.
 */
export const refusedRequests: RosterMigration = {
  name: '021-refused-requests',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('refused_requests')
      .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
      // The minute the requests fell in, as ISO-8601 text (`2026-01-31T09:41:00.000Z`).
      .addColumn('minute', 'text', (c) => c.notNull())
      .addColumn('count', 'integer', (c) => c.notNull())
      .addColumn('last_at', 'text', (c) => c.notNull())
      .addColumn('last_status', 'integer', (c) => c.notNull())
      .addColumn('last_user_agent', 'text')
      .addPrimaryKeyConstraint('refused_requests_pk', ['tenant_id', 'minute'])
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('refused_requests').ifExists().execute();
  },
};
