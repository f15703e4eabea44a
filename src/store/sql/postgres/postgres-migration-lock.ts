import { PostgresAdapter, PostgresDialect, sql, type DialectAdapter as KyselyAdapter, type Kysely } from 'kysely';

/** Kysely's own lock id, so that every Roster version serialises on the same lock. */
const LOCK_ID = 3853314791062309107n;
/** How long a starting process waits for another one's migrations. */
const LOCK_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Kysely's PostgreSQL migrator takes a session-level advisory lock (pg_advisory_lock) before its
 * migration transaction and releases it after. Behind PgBouncer in transaction pooling, the lock
 * and the unlock can run on different server connections: the unlock fails and the lock stays
 * held on a pooled server connection, so the next start waits for it. Here the lock is
 * transaction-scoped instead (pg_advisory_xact_lock): `begin` is issued on the migrator's
 * connection before the lock, the migrator's own `begin` joins that transaction (PostgreSQL
 * answers it with a warning only), and its commit or rollback releases the lock. Nothing is
 * left to release afterwards, and a crash mid-migration releases it too.
 */
class TransactionLockAdapter extends PostgresAdapter {
  override async acquireMigrationLock(db: Kysely<unknown>): Promise<void> {
    await sql`begin`.execute(db);
    try {
      await sql`select set_config('lock_timeout', ${String(LOCK_TIMEOUT_MS)}, true), pg_advisory_xact_lock(${sql.lit(LOCK_ID)})`.execute(db);
    } catch (error) {
      await sql`rollback`.execute(db);
      throw error;
    }
  }

  override async releaseMigrationLock(): Promise<void> {
    // Released by the migration transaction's commit or rollback.
  }
}

/** PostgresDialect with a migration lock that works through transaction-pooling proxies. */
export class RosterPostgresDialect extends PostgresDialect {
  override createAdapter(): KyselyAdapter {
    return new TransactionLockAdapter();
  }
}
