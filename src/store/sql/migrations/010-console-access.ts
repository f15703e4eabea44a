import type { Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * The admin console's ways in: setup links (a tenant's IT admin opens one, no other
 * credential) and console sessions (the cookie a browser holds). Only SHA-256 hashes of
 * their secrets are stored. Sessions live in the database, not in a process's memory, so
 * that several Roster processes behind a load balancer share them.
 */
export const consoleAccess: RosterMigration = {
  name: '010-console-access',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('setup_links')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('link_hash', 'text', (c) => c.notNull())
      .addColumn('note', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .addColumn('last_used_at', 'text')
      .addPrimaryKeyConstraint('setup_links_pk', ['tenant_id', 'id'])
      .execute();
    await db.schema.createIndex('setup_links_hash').on('setup_links').column('link_hash').unique().execute();

    await db.schema
      .createTable('console_sessions')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('session_hash', 'text', (c) => c.notNull())
      // NULL for an operator's session (every tenant); a setup link's session has its tenant.
      .addColumn('tenant_id', 'text')
      .addColumn('setup_link_id', 'text')
      .addColumn('operator_key_id', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'text', (c) => c.notNull())
      .addColumn('last_seen_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('console_sessions_hash').on('console_sessions').column('session_hash').unique().execute();
    await db.schema.createIndex('console_sessions_expiry').on('console_sessions').column('expires_at').execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropTable('console_sessions').ifExists().execute();
    await db.schema.dropTable('setup_links').ifExists().execute();
  },
};
