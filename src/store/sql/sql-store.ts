import { Migrator, sql, type Kysely, type Migration, type MigrationProvider } from 'kysely';
import type { PoolStats, Store, StoreSession } from '../store.js';
import type { Database } from './database.js';
import type { RateCounterStore } from '../rate-counter-store.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { migrations } from './migrations/index.js';
import { SqlEventStore } from './event-store.js';
import { SqlGroupStore } from './group-store.js';
import { SqlOperatorKeyStore } from './operator-key-store.js';
import { SqlTenantStore, SqlTokenStore } from './tenant-store.js';
import { SqlUserStore } from './user-store.js';
import { SqlProvisioningLogStore } from './provisioning-log-store.js';
import { SqlWebhookStore } from './webhook-store.js';
import { SqlSetupLinkStore } from './setup-link-store.js';
import { SqlConsoleSessionStore } from './console-session-store.js';

function sessionOf(db: Kysely<Database>, adapter: DialectAdapter): StoreSession {
  return {
    tenants: new SqlTenantStore(db),
    tokens: new SqlTokenStore(db, adapter),
    users: new SqlUserStore(db, adapter),
    groups: new SqlGroupStore(db, adapter),
    events: new SqlEventStore(db),
    operatorKeys: new SqlOperatorKeyStore(db),
    webhooks: new SqlWebhookStore(db, adapter),
    provisioningLog: new SqlProvisioningLogStore(db),
    setupLinks: new SqlSetupLinkStore(db),
    consoleSessions: new SqlConsoleSessionStore(db),
  };
}

/** The Store on a SQL engine through Kysely; engine differences live in the adapter. */
export class SqlStore implements Store {
  readonly read: StoreSession;
  readonly engine: string;
  /** Set by engines that several processes share (postgres.ts). */
  rateCounters?: RateCounterStore;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    /** The connection pool's state, where the engine has a pool. */
    private readonly pool?: () => PoolStats,
  ) {
    this.read = sessionOf(db, adapter);
    this.engine = adapter.engine;
  }

  async migrate(): Promise<void> {
    const context = this.adapter.migrationContext;
    const provider: MigrationProvider = {
      getMigrations: () =>
        Promise.resolve(
          Object.fromEntries(
            migrations.map((migration): [string, Migration] => [
              migration.name,
              { up: (db) => migration.up(db, context), down: (db) => migration.down(db, context) },
            ]),
          ),
        ),
    };
    // Kysely's migrator takes an engine-level lock (an advisory lock on PostgreSQL), so
    // several processes starting at once apply each migration exactly once.
    const { error } = await new Migrator({ db: this.db, provider }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => work(sessionOf(trx, this.adapter)));
  }

  poolStats(): PoolStats | undefined {
    return this.pool?.();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
