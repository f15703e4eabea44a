import { AsyncLocalStorage } from 'node:async_hooks';
import { Migrator, sql, type Kysely, type Migration, type MigrationProvider, type Transaction } from 'kysely';
import type { PoolStats, Store, StoreSession } from '../store.js';
import type { Database } from './database.js';
import type { RateCounterStore } from '../rate-counter-store.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { migrations } from './migrations/index.js';
import { SqlEventStore, writeEvents, writeEventsAtCommit } from './events/sql-event-store.js';
import { PendingEvents } from './events/pending-events.js';
import { SqlGroupStore } from './resources/sql-group-store.js';
import { SqlMemberStore } from './members/sql-member-store.js';
import { SqlPendingChangeStore } from './members/sql-pending-change-store.js';
import { SqlScimSetupStore } from './members/sql-scim-setup-store.js';
import { SqlOperatorKeyStore } from './access/sql-operator-key-store.js';
import { SqlTenantStore, SqlTokenStore } from './access/sql-tenant-store.js';
import { SqlUserStore } from './resources/sql-user-store.js';
import { SqlProvisioningLogStore } from './events/sql-provisioning-log-store.js';
import { SqlRefusedRequestStore } from './events/sql-refused-request-store.js';
import { SqlRetentionStore } from './events/sql-retention-store.js';
import { SqlWebhookStore } from './events/sql-webhook-store.js';
import { SqlSetupLinkStore } from './access/sql-setup-link-store.js';
import { SqlConsoleSessionStore } from './access/sql-console-session-store.js';
import { SqlDirectoryStore } from './members/sql-directory-store.js';
import { SharedCommits } from './shared-commits.js';
import { SqlUndeclaredAttributeStore } from './members/sql-undeclared-attribute-store.js';

/**
 * `store` with the transaction's queued events written before each of its calls: the stores
 * given this read the events or the tenant's sequence (erasure reads the events its delete
 * appended; a webhook cursor starts at the sequence). Their methods are all async.
 */
function afterPending<S extends object>(store: S, pending: PendingEvents): S {
  return new Proxy(store, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]): Promise<unknown> => {
        await pending.flush();
        return (value as (...args: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/** A transaction's session: its events queue in `pending` until commit (pending-events.ts). */
function transactionSessionOf(db: Kysely<Database>, adapter: DialectAdapter, pending: PendingEvents): StoreSession {
  const session = sessionOf(db, adapter, pending);
  return { ...session, retention: afterPending(session.retention, pending), webhooks: afterPending(session.webhooks, pending) };
}

/**
 * A transaction's queue of events on its connection: `writeEvents` when a read needs them
 * now, `writeEventsAtCommit` for the last flush before COMMIT.
 */
function pendingEventsOf(db: Kysely<Database>, adapter: DialectAdapter): PendingEvents {
  return new PendingEvents(
    (tenantId, events) => writeEvents(db, adapter, tenantId, events),
    (tenantId, events) => writeEventsAtCommit(db, adapter, tenantId, events),
  );
}

function sessionOf(db: Kysely<Database>, adapter: DialectAdapter, pending?: PendingEvents): StoreSession {
  return {
    tenants: new SqlTenantStore(db, adapter),
    tokens: new SqlTokenStore(db, adapter),
    users: new SqlUserStore(db, adapter),
    groups: new SqlGroupStore(db, adapter),
    events: new SqlEventStore(db, adapter, pending),
    operatorKeys: new SqlOperatorKeyStore(db),
    members: new SqlMemberStore(db, adapter),
    pendingChanges: new SqlPendingChangeStore(db),
    scimSetup: new SqlScimSetupStore(db),
    webhooks: new SqlWebhookStore(db, adapter),
    provisioningLog: new SqlProvisioningLogStore(db, adapter),
    refusedRequests: new SqlRefusedRequestStore(db),
    retention: new SqlRetentionStore(db, adapter),
    setupLinks: new SqlSetupLinkStore(db),
    consoleSessions: new SqlConsoleSessionStore(db),
    directory: new SqlDirectoryStore(db, adapter),
    undeclaredAttributes: new SqlUndeclaredAttributeStore(db),
  };
}

/**
 * Awaits a savepoint statement of `group`. If it fails, the transaction may be gone (SQLite
 * ends it whole on some errors, and a later `savepoint` would begin a new one that commits
 * on its own): the group takes no more work and fails at its end.
 */
async function stopOnFailure(group: OpenGroup, statement: Promise<unknown>): Promise<void> {
  try {
    await statement;
  } catch (error) {
    stopGroup(group, error);
    throw error;
  }
}

/** The group takes no more work and fails at its end, with the first such `error`. */
function stopGroup(group: OpenGroup, error: unknown): void {
  group.conflict ??= error instanceof Error ? error : new Error(String(error));
}

/** How many times a transaction runs before a deadlock is reported. */
const TRANSACTION_ATTEMPTS = 4;

/** An open transaction group (Store.transactionGroup): its database transaction and savepoints. */
interface OpenGroup {
  readonly trx: Transaction<Database>;
  /** The events of the group's transactions, written once when the group commits. */
  readonly pending: PendingEvents;
  savepoints: number;
  /** A conflict a member transaction met, which fails the whole group so that it runs again. */
  conflict: Error | undefined;
  /** Set when the group has ended: work scheduled from inside it (a timer) runs on its own. */
  ended: boolean;
}

/** The Store on a SQL engine through Kysely; engine differences live in the adapter. */
export class SqlStore implements Store {
  readonly read: StoreSession;
  readonly engine: string;
  /** Set by engines that several processes share (postgres/postgres-store.ts). */
  rateCounters?: RateCounterStore;
  /** The transaction group the current async context runs in, if any. */
  private readonly groups = new AsyncLocalStorage<OpenGroup>();
  /** Where transactions share commits (one connection: SQLite), see shared-commits.ts. */
  private readonly shared: SharedCommits<OpenGroup, StoreSession> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    /** The connection pool's state, where the engine has a pool. */
    private readonly pool?: () => PoolStats,
    /** Stops the engine's own helpers before the connection closes (SQLite's checkpointer). */
    private readonly beforeClose?: () => Promise<void> | undefined,
    /** Whether a transaction begun while another holds the one connection joins its commit. */
    sharedCommits = false,
  ) {
    this.read = sessionOf(db, adapter);
    this.engine = adapter.engine;
    this.shared = sharedCommits
      ? new SharedCommits<OpenGroup, StoreSession>(
          (body) => this.inNewGroup(body),
          (group, work) => this.inSavepoint(group, work),
          (group) => group.conflict === undefined,
        )
      : undefined;
  }

  /** Names of the migrations the database has applied, or undefined before the first one. */
  private async appliedMigrations(): Promise<ReadonlySet<string> | undefined> {
    try {
      const { rows } = await sql<{ name: string }>`select name from kysely_migration`.execute(this.db);
      return new Set(rows.map((row) => row.name));
    } catch {
      return undefined;
    }
  }

  async migrate(): Promise<void> {
    // During a rolling deploy a newer build may already have applied migrations this build
    // does not know; Kysely's migrator would call that corrupted. Nothing to do here then.
    const applied = await this.appliedMigrations();
    if (applied !== undefined && migrations.every((migration) => applied.has(migration.name))) return;
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
    // The migrator takes the dialect's migration lock (a transaction-scoped advisory lock on
    // PostgreSQL), so several processes starting at once apply each migration exactly once.
    // Unordered: a database that applied a later-numbered migration first (work merged from
    // parallel branches) still gets the earlier one, instead of refusing to start.
    const { error } = await new Migrator({ db: this.db, provider, allowUnorderedMigrations: true }).migrateToLatest();
    if (error !== undefined) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  }

  async ping(): Promise<void> {
    await sql`select 1`.execute(this.db);
  }

  async transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    const group = this.groups.getStore();
    if (group !== undefined && !group.ended) return this.inSavepoint(group, work);
    if (this.shared !== undefined) return this.shared.run(work);
    // A transaction that lost a deadlock to another process is run again from the start
    // (its reads too), a few times, instead of failing the request.
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.db.transaction().execute(async (trx) => {
          const pending = pendingEventsOf(trx, this.adapter);
          const value = await work(transactionSessionOf(trx, this.adapter, pending));
          await pending.flushAtCommit();
          return value;
        });
      } catch (error) {
        if (attempt >= TRANSACTION_ATTEMPTS || !this.adapter.transientConflict(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
      }
    }
  }

  async transactionGroup<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.inNewGroup((group) => this.groups.run(group, () => work(transactionSessionOf(group.trx, this.adapter, group.pending))));
  }

  /** A database transaction as a group: `body`, then the group's events, then commit. */
  private async inNewGroup<T>(body: (group: OpenGroup) => Promise<T>): Promise<T> {
    return this.db.transaction().execute(async (trx) => {
      const group: OpenGroup = { trx, pending: pendingEventsOf(trx, this.adapter), savepoints: 0, conflict: undefined, ended: false };
      try {
        const value = await body(group);
        if (group.conflict !== undefined) throw group.conflict;
        await group.pending.flushAtCommit();
        return value;
      } finally {
        group.ended = true;
      }
    });
  }

  /** One transaction of a group, in a savepoint: undone alone when `work` throws. */
  private async inSavepoint<T>(group: OpenGroup, work: (session: StoreSession) => Promise<T>): Promise<T> {
    const name = sql.raw(`roster_${group.savepoints++}`);
    await stopOnFailure(group, sql`savepoint ${name}`.execute(group.trx));
    const mark = group.pending.mark();
    let value: T;
    try {
      value = await work(transactionSessionOf(group.trx, this.adapter, group.pending));
    } catch (error) {
      try {
        await sql`rollback to savepoint ${name}`.execute(group.trx);
        group.pending.rollBackTo(mark);
        await sql`release savepoint ${name}`.execute(group.trx);
      } catch (undoFailed) {
        // The transaction itself is gone (SQLite ends it whole on some errors): what ran
        // after would commit on its own, so the group stops here and fails.
        stopGroup(group, undoFailed);
        throw error;
      }
      // Alone, this transaction would run again; in a group, the whole group does.
      if (this.adapter.transientConflict(error)) stopGroup(group, error);
      throw error;
    }
    await stopOnFailure(group, sql`release savepoint ${name}`.execute(group.trx));
    return value;
  }

  async snapshot<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    // PostgreSQL takes the snapshot at the first statement and keeps it to the end. SQLite's
    // one connection is held by the transaction (Kysely queues every other statement behind
    // it), so no write lands between its reads; the isolation options do not apply there.
    if (this.adapter.engine === 'postgres') {
      return this.db
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) => work(sessionOf(trx, this.adapter)));
    }
    // Begun as `begin deferred` (what `begin` means) rather than Kysely's `begin`, so that
    // SQLite keeps this read's temporary data in files, not in the memory write transactions
    // use (sqlite-store.ts, TemporaryStorage): a read's sort is not bounded by a write's size.
    return this.db.connection().execute(async (connection) => {
      await sql`begin deferred`.execute(connection);
      try {
        const value = await work(sessionOf(connection, this.adapter));
        await sql`commit`.execute(connection);
        return value;
      } catch (error) {
        await sql`rollback`.execute(connection);
        throw error;
      }
    });
  }

  poolStats(): PoolStats | undefined {
    return this.pool?.();
  }

  async close(): Promise<void> {
    await this.beforeClose?.();
    await this.db.destroy();
  }
}
