import { randomUUID } from 'node:crypto';
import type { PoolClient, PoolConfig } from 'pg';
import { CompiledQuery, Kysely, sql, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { Database } from '../database.js';
import type { DialectAdapter, JsonScalarKind, QueryPlan, SubstringSource, UnnumberedEvent } from '../dialect-adapter.js';
import type { MigrationContext } from '../migrations/types.js';
import { withPostgresDeadline } from './postgres-deadline.js';
import { explainPostgres } from './postgres-explain.js';
import { instantSql } from './postgres-instant.js';
import { RosterPostgresDialect } from './postgres-migration-lock.js';
import { createPool, DEFAULT_POOL_SIZE } from './postgres-pool.js';
import { SqlStore } from '../sql-store.js';
import { PostgresRateCounterStore } from './postgres-rate-counters.js';
import type { PoolStats } from '../../store.js';

/** SQLSTATE unique_violation. */
const UNIQUE_VIOLATION = '23505';

/** ICU's root-locale collation, present when PostgreSQL was built with ICU (the usual case). */
const ICU_ROOT = 'und-x-icu';

/** A text[] literal for `#>`/`#>>`: `{"name","givenName"}`. */
function textArrayLiteral(path: readonly string[]): string {
  return '{' + path.map((part) => `"${part.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(',') + '}';
}

/**
 * A JSON path as a literal. Paths are made of schema attribute names, never of request
 * values; as a literal the expression is the same text on every call, which an expression
 * index can match (a bound parameter never does).
 */
function pathLiteral(path: readonly string[]): RawBuilder<unknown> {
  return sql.lit(textArrayLiteral(path));
}

/** A jsonb value read as `kind` (JsonScalarKind), NULL when it is JSON of another type. */
function scalarOf(value: RawBuilder<unknown>, kind: JsonScalarKind): RawBuilder<unknown> {
  switch (kind) {
    case 'text':
      return sql`(case when jsonb_typeof(${value}) = 'string' then ${value} #>> '{}' end)`;
    case 'number':
      // Double precision, as JavaScript compares numbers.
      return sql`(case when jsonb_typeof(${value}) = 'number' then (${value} #>> '{}')::double precision end)`;
    case 'boolean':
      return sql`(case jsonb_typeof(${value}) when 'boolean' then (case when ${value} = 'true'::jsonb then 1 else 0 end) end)`;
  }
}

/** What the first connection learns of the server (see inspectServer). */
export interface ServerTraits {
  /** ICU's root collation exists. */
  readonly icu: boolean;
  /** The database's default collation is C (or POSIX): byte order, which is code point order in UTF-8. */
  readonly collateIsC: boolean;
}

/**
 * The PostgreSQL side of the dialect adapter. One instance per store: some expressions
 * depend on the server (ICU, the database's collation), which the first connection learns.
 */
export class PostgresDialectAdapter implements DialectAdapter {
  readonly engine = 'postgres';
  readonly migrationContext: MigrationContext = { jsonType: 'jsonb' };
  /** Row locks keep read-modify-write transactions of several processes from interleaving. */
  readonly rowLocks = true;

  skipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O> {
    return query.forUpdate().skipLocked();
  }
  async reserveEvents(db: Kysely<Database>, tenantId: string, count: number): Promise<{ lastSeq: number; positionKey: number }> {
    // One UPDATE numbers the events and takes the key: the row lock it waits for is held when
    // `greatest` reads event_position (a blocked UPDATE re-reads the row once it gets the lock),
    // so writers of one tenant take keys one at a time, each at least its own transaction id
    // and never below the previous one.
    const row = await db
      .updateTable('tenants')
      .set((eb) => ({ event_seq: eb('event_seq', '+', count), event_position: sql<number>`greatest(event_position, pg_current_xact_id()::text::bigint)` }))
      .where('id', '=', tenantId)
      .returning(['event_seq', 'event_position'])
      .executeTakeFirstOrThrow();
    return { lastSeq: Number(row.event_seq), positionKey: Number(row.event_position) };
  }

  async queueForCommit(db: Kysely<Database>, tenantId: string, events: readonly UnnumberedEvent[]): Promise<void> {
    // The payloads are JSON text already: spliced in, not parsed and stringified again.
    const rows = events.map((event) => `${JSON.stringify([event.id, event.type, event.resourceType, event.resourceId, event.occurredAt]).slice(0, -1)},${event.payload}]`);
    const queued = [randomUUID(), tenantId, `[${rows.join(',')}]`];
    await db.executeQuery(CompiledQuery.raw('insert into event_commit_queue (id, tenant_id, events) values ($1, $2, $3::jsonb)', queued));
  }

  feedHorizon(): RawBuilder<number> {
    // Every transaction below the snapshot's horizon has ended; one still running or yet to
    // start writes keys at or above its own id. The horizon is the oldest id the snapshot
    // sees running (else its xmax, the first id not yet given out), less the transactions
    // pg_stat_activity shows in other databases of the server, which never write these rows
    // and would otherwise hold the feed back (a transaction hidden from us counts: safe).
    return sql<number>`(select coalesce(min(x::text::bigint), pg_snapshot_xmax(pg_current_snapshot())::text::bigint) - 1
      from pg_snapshot_xip(pg_current_snapshot()) as x
      where (x::text::bigint & 4294967295) not in (
        select backend_xid::text::bigint from pg_stat_activity where backend_xid is not null and datname is distinct from current_database()))`;
  }

  private traits: ServerTraits = { icu: false, collateIsC: false };

  /** Adopts what the first connection learnt of the server. */
  configure(traits: ServerTraits): void {
    this.traits = traits;
  }

  jsonText(column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown> {
    return sql`(${column} #>> ${pathLiteral(path)})`;
  }

  /**
   * lower() follows the collation's ctype. With ICU's root locale it agrees with JavaScript's
   * toLowerCase, including the final sigma (ΟΔΟΣ → οδος) and U+0130 (İ → i̇); glibc's
   * C.UTF-8/en_US.UTF-8 lowers every final Σ to σ and İ to i, and a database with ctype C
   * lowers ASCII only. Both sides normalise to NFC first, as foldCase does. The result
   * compares by code point (see codePointOrder).
   */
  fold(expression: RawBuilder<unknown>): RawBuilder<unknown> {
    const normalized = sql`normalize(${expression}, NFC)`;
    return this.codePointOrder(this.traits.icu ? sql`lower(${normalized} collate ${sql.id(ICU_ROOT)})` : sql`lower(${normalized})`);
  }

  transientConflict(error: unknown): boolean {
    const code = error instanceof Error ? (error as { code?: unknown }).code : undefined;
    return code === '40P01' || code === '40001';
  }

  uniqueViolation(error: unknown): string | undefined {
    if (!(error instanceof Error)) return undefined;
    const { code, constraint } = error as { code?: unknown; constraint?: unknown };
    if (code !== UNIQUE_VIOLATION) return undefined;
    return typeof constraint === 'string' ? constraint : 'unique key';
  }

  jsonScalar(json: RawBuilder<unknown>, path: readonly string[], kind: JsonScalarKind): RawBuilder<unknown> {
    return scalarOf(sql`(${json} #> ${pathLiteral(path)})`, kind);
  }

  jsonHas(json: RawBuilder<unknown>, path: readonly string[]): RawBuilder<SqlBool> {
    // `#>` gives SQL NULL only when the path is absent; a JSON null is the jsonb 'null'.
    return sql<SqlBool>`((${json} #> ${pathLiteral(path)}) is not null)`;
  }

  jsonElements(json: RawBuilder<unknown>, path: readonly string[], alias: string): RawBuilder<unknown> {
    const value = sql`(${json} #> ${pathLiteral(path)})`;
    // jsonb_array_elements raises an error on anything but an array: give it an empty one.
    const array = sql`(case when jsonb_typeof(${value}) = 'array' then ${value} else '[]'::jsonb end)`;
    return sql`from jsonb_array_elements(${array}) with ordinality as ${sql.id(alias)}("value", "ordinal") where true`;
  }

  elementJson(alias: string): RawBuilder<unknown> {
    return sql.ref(`${alias}.value`);
  }

  elementScalar(alias: string, kind: JsonScalarKind): RawBuilder<unknown> {
    return scalarOf(sql.ref(`${alias}.value`), kind);
  }

  elementOrdinal(alias: string): RawBuilder<unknown> {
    // WITH ORDINALITY counts from 1; the contract (and SQLite's json_each) from 0.
    return sql`(${sql.ref(`${alias}.ordinal`)} - 1)`;
  }

  // strpos, starts_with and right() take the needle as plain text: no wildcards to escape.
  contains(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool> {
    return sql<SqlBool>`(strpos(${haystack}, ${needle}::text) > 0)`;
  }

  substringCandidates(source: SubstringSource, row: string, tenantId: string, needle: string, op: 'co' | 'sw' | 'ew'): RawBuilder<SqlBool> {
    // LIKE's escape character is the backslash by default; the pattern is a bound parameter.
    const escaped = needle.replace(/[\\%_]/g, (character) => `\\${character}`);
    const pattern = op === 'sw' ? `${escaped}%` : op === 'ew' ? `%${escaped}` : `%${escaped}%`;
    if (source.own) return sql<SqlBool>`(${sql.ref(`${row}.${source.column}`)} like ${pattern})`;
    const { table, key, column } = source;
    return sql<SqlBool>`(${sql.ref(`${row}.id`)} in (select ${sql.ref(`${table}.${key}`)} from ${sql.table(table)} where ${sql.ref(`${table}.tenant_id`)} = ${tenantId} and ${sql.ref(`${table}.${column}`)} like ${pattern}))`;
  }

  startsWith(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool> {
    return sql<SqlBool>`starts_with(${haystack}, ${needle}::text)`;
  }

  endsWith(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool> {
    return sql<SqlBool>`(right(${haystack}, length(${needle}::text)) = ${needle}::text)`;
  }

  /**
   * In a database whose collation is C, text already compares by code point, and leaving the
   * expression as it is lets ORDER BY and keyset conditions use the btree indexes (an index
   * serves only its own collation, and the default is not "C" by name). Elsewhere an explicit
   * collate "C" gives the right order without index support (see docs/operations.md).
   */
  codePointOrder(expression: RawBuilder<unknown>): RawBuilder<unknown> {
    return this.traits.collateIsC ? expression : sql`(${expression} collate "C")`;
  }

  instant(text: RawBuilder<unknown>): RawBuilder<unknown> {
    return instantSql(text);
  }

  explain(db: Kysely<Database>, query: CompiledQuery): Promise<QueryPlan> {
    return explainPostgres(db, query);
  }

  withDeadline<T>(db: Kysely<Database>, deadline: number, work: (db: Kysely<Database>, guard: RawBuilder<SqlBool> | undefined) => Promise<T>): Promise<T> {
    return withPostgresDeadline(db, deadline, work);
  }
}

/**
 * Checks made once per store on its first connection: a UTF-8 database (normalize() and
 * Unicode names need it), whether ICU collations exist (for `fold`) and whether the
 * database's collation is C (for `codePointOrder`).
 */
async function inspectServer(client: PoolClient, adapter: PostgresDialectAdapter): Promise<void> {
  const result = await client.query<{ encoding: string; icu: boolean; collate: string; ctype: string }>(
    `select current_setting('server_encoding') as encoding,
            exists (select 1 from pg_collation where collname = $1) as icu,
            datcollate as collate, datctype as ctype
       from pg_database where datname = current_database()`,
    [ICU_ROOT],
  );
  const row = result.rows[0];
  if (row === undefined) throw new Error('PostgreSQL did not describe the current database.');
  if (row.encoding !== 'UTF8') {
    throw new Error(`Roster needs a UTF8 PostgreSQL database; this one is ${row.encoding}. Create it with: createdb --encoding=UTF8 --locale=C --template=template0 NAME`);
  }
  const isC = (locale: string): boolean => locale === 'C' || locale === 'POSIX';
  if (!row.icu && isC(row.ctype)) {
    process.emitWarning('This PostgreSQL has no ICU collations and the database ctype is C: case-insensitive filters fold ASCII letters only.', { code: 'ROSTER_PG_FOLD' });
  }
  adapter.configure({ icu: row.icu, collateIsC: isC(row.collate) });
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
  // Every process on this database counts requests in one table, so rate limits hold across
  // them; each writes its counts in batches, flushed once more before the pool closes.
  const rateCounters = new PostgresRateCounterStore(db);
  const store = new SqlStore(db, adapter, stats, () => rateCounters.close());
  store.rateCounters = rateCounters;
  return store;
}
