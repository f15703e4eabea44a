import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Fixed-window request counters for the rate limit, shared by every process on PostgreSQL
 * (SQLite counts in memory and leaves the table empty). One row per key (`token:<id>`,
 * `tenant:<id>`), overwritten when a new window starts, so the table stays as small as the
 * number of tokens and tenants. Not tenant data: keys name tenants, rows hold only counts.
 */
export const rateLimits: RosterMigration = {
  name: '011-rate-limits',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('rate_limits')
      .addColumn('key', 'text', (c) => c.primaryKey())
      // The window's start in whole seconds since the epoch.
      .addColumn('window_start', 'bigint', (c) => c.notNull())
      .addColumn('hits', 'integer', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('rate_limits').ifExists().execute();
  },
};
