import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * Operator keys authenticate the management API (/api/v1) for the SaaS team. They are not
 * tenant data: one operator key sees every tenant.
 */
export const operatorKeys: RosterMigration = {
  name: '003-operator-keys',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('operator_keys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('key_hash', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('last_used_at', 'text')
      .addColumn('revoked_at', 'text')
      .execute();
    await db.schema.createIndex('operator_keys_hash').on('operator_keys').column('key_hash').unique().execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('operator_keys').ifExists().execute();
  },
};
