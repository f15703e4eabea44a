import type { PoolClient, PoolConfig } from 'pg';
import { Kysely, sql, type RawBuilder } from 'kysely';
import type { Database } from './database.js';
import type { DialectAdapter } from './dialect-adapter.js';
import type { MigrationContext } from './migrations/index.js';
import { RosterPostgresDialect } from './postgres-migration-lock.js';
import { createPool, DEFAULT_POOL_SIZE } from './postgres-pool.js';
import { SqlStore } from './sql-store.js';
import type { PoolStats } from '../store.js';
import { PostgresRateCounterStore } from './postgres-rate-counters.js';

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** ICU's root-locale collation, present when PostgreSQL was built with ICU (the usual case). */
const ICU_ROOT = 'und-x-icu';

/** A text[] literal for `#>>`: `{"name","givenName"}`. */
function textArrayLiteral(path: readonly string[]): string {
  return '{' + path.map((part) => `"${part.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',') + '}';
}

/**
 * The PostgreSQL side of the dialect adapter. One instance per store: how `fold` is written
 * depends on what the server offers, which is learnt on the first connection.
 */
export class PostgresDialectAdapter implements DialectAdapter {
  readonly engine = 'postgres';
  readonly migrationContext: MigrationContext = { jsonType: 'jsonb' };
  /** Row locks keep read-modify-write transactions of several processes from interleaving. */
  readonly rowLocks = true;
  private icu = false;

  /** Called once the server has said whether ICU is available (see `fold`). */
  useIcu(available: boolean): void {
    this.icu = available;
  }

  jsonText(column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown> {
    // The path is made of schema attribute names, never of request values; written as a
    // literal, the expression is the same text on every call, which an expression index matches.
    return sql`(${column} #>> ${sql.lit(textArrayLiteral(path))})`;
  }

  /**
   * lower() follows the collation's ctype. With ICU's root locale it agrees with JavaScript's
   * toLowerCase, including the final sigma (ΟΔΟΣ → οδος) and U+0130 (İ → i̇); glibc's
   * C.UTF-8/en_US.UTF-8 lowers every final Σ to σ and İ to i, and a database with ctype "C"
   * lowers ASCII only. Both sides normalise to NFC first, as foldCase does. The result is
   * compared and sorted by code point (collate "C"), which is SQLite's BINARY order.
   */
  fold(expression: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.icu
      ? sql`(lower(normalize(${expression}, NFC) collate ${sql.id(ICU_ROOT)}) collate "C")`
      : sql`(lower(normalize(${expression}, NFC)) collate "C")`;
  }

  uniqueViolation(error: unknown): string | undefined {
    if (!(error instanceof Error)) return undefined;
    const { code, constraint } = error as { code?: unknown; constraint?: unknown };
    if (code !== UNIQUE_VIOLATION) return undefined;
    return typeof constraint === 'string' ? constraint : 'unique key';
  }
}

/**
 * Checks made once per store on its first connection: a UTF-8 database (normalize() and
 * Unicode names need it) and whether ICU collations exist, for `fold`.
 */
async function inspectServer(client: PoolClient, adapter: PostgresDialectAdapter): Promise<void> {
  const result = await client.query<{ encoding: string; icu: boolean }>(
    `select current_setting('server_encoding') as encoding, exists (select 1 from pg_collation where collname = $1) as icu`,
    [ICU_ROOT],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('PostgreSQL did not answer the server check.');
  if (row.encoding !== 'UTF8') {
    throw new Error(`Roster needs a UTF8 PostgreSQL database; this one is ${row.encoding}. Create it with: createdb --encoding=UTF8 --template=template0 NAME`);
  }
  adapter.useIcu(row.icu);
}

export interface PostgresOptions {
  /** `postgres://user:password@host:port/database` (or `postgresql://`). */
  readonly connectionString: string;
  /** Connections this process may hold; default 10. */
  readonly poolSize?: number;
  /** Further pg settings (timeouts, ssl, startup options). */
  readonly pool?: Omit<PoolConfig, 'connectionString' | 'max' | 'types'>;
}

/**
 * Opens a PostgreSQL store. Nothing is connected until the first query (normally `migrate()`
 * at start), which fails with a PostgresConnectionError naming the server when it cannot
 * connect.
 */
export function openPostgresStore(options: PostgresOptions): SqlStore {
  const adapter = new PostgresDialectAdapter();
  const size = options.poolSize ?? DEFAULT_POOL_SIZE;
  const pool = createPool({
    connectionString: options.connectionString,
    size,
    ...(options.pool === undefined ? {} : { extra: options.pool }),
    onFirstConnection: (client) => inspectServer(client, adapter),
  });
  const db = new Kysely<Database>({ dialect: new RosterPostgresDialect({ pool }) });
  const stats = (): PoolStats => ({ total: pool.pool.totalCount, idle: pool.pool.idleCount, waiting: pool.pool.waitingCount, max: size });
  const store = new SqlStore(db, adapter, stats);
  // Every process on this database counts requests in one table, so rate limits hold across them.
  store.rateCounters = new PostgresRateCounterStore(db);
  return store;
}
