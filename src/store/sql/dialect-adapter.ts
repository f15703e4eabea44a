import type { CompiledQuery, Kysely, RawBuilder, SelectQueryBuilder, SqlBool } from 'kysely';
import type { Database } from './database.js';
import type { MigrationContext } from './migrations/types.js';

/**
 * The SQL type a JSON scalar is read as: `text` for strings (string, reference, binary and
 * dateTime attributes), `number` for integers and decimals, `boolean` for booleans, which are
 * read as the integers 1 and 0 on every engine (as the `active` column stores them), because
 * SQLite has no boolean type and its driver cannot bind one.
 */
export type JsonScalarKind = 'text' | 'number' | 'boolean';

/** How an engine would run a query (diagnostics and the query-plan tests). */
export interface QueryPlan {
  /** The plan as the engine prints it, one line per step. */
  readonly lines: readonly string[];
  /**
   * Tables (or their aliases) the plan reads in full: a scan, or an index search that only
   * narrows by tenant, which is a full scan for a large tenant. Table-valued JSON functions
   * (one row's array elements) do not count.
   */
  readonly fullScans: readonly string[];
}

/**
 * What differs between the SQL engines. Everything else in store/sql is written once.
 * Expressions are Kysely raw fragments; values inside them are always bound parameters.
 * JSON documents handed to these methods are the stored `data` columns (or elements of their
 * arrays); they have been coerced to the schema, so a value has its attribute's type or is
 * absent.
 */
/** An indexed text column: in the row's own table (`key` is then `id`), or in a side table whose `key` holds the row's id. */
export interface SubstringSource {
  readonly table: string;
  readonly column: string;
  readonly key: string;
  /** The column is in the row's own table. */
  readonly own: boolean;
}

/** An event row as a transaction's last write hands it over to be numbered at commit (`queueForCommit`). */
export interface UnnumberedEvent {
  readonly id: string;
  readonly type: string;
  readonly resourceType: string;
  readonly resourceId: string;
  readonly occurredAt: string;
  /** The payload as JSON text. */
  readonly payload: string;
}

export interface DialectAdapter {
  readonly engine: 'sqlite' | 'postgres';
  readonly migrationContext: MigrationContext;
  /** Whether `select … for update` row locks exist (PostgreSQL); SQLite serialises writers instead. */
  readonly rowLocks: boolean;
  /**
   * `query` as `SELECT … FOR UPDATE SKIP LOCKED` where there are row locks (PostgreSQL): rows
   * another transaction holds are passed over, not waited for, so that processes sharing a
   * work queue (webhook deliveries) each take different rows. SQLite has one writer at a
   * time, so the query inside a write transaction is already exclusive and stays as it is.
   */
  skipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * Reserves `count` event numbers of a tenant (raising its event_seq, which takes the
   * tenant's row lock and serialises its writers) and gives the global feed key of the
   * events the transaction appends, taken under that lock: the tenant's new last seq and
   * the key. PostgreSQL: the transaction's id, or the tenant's previous key when that is
   * larger (kept on the tenant row), in the same UPDATE; SQLite: the next value of one
   * global counter. docs/events.md says why the feed read below its horizon then never
   * passes an event committed later.
   */
  reserveEvents(db: Kysely<Database>, tenantId: string, count: number): Promise<{ readonly lastSeq: number; readonly positionKey: number }>;
  /**
   * Hands a tenant's events, in the order they were appended, to be numbered and inserted as
   * the transaction commits, under the lock and rule of `reserveEvents`, so that the lock is
   * held only during COMMIT (PostgreSQL: a deferred trigger, migration 026). Only for events
   * nothing in the transaction reads after. Absent where numbering them at once costs no
   * more (SQLite: one writer at a time); `reserveEvents` does then.
   */
  readonly queueForCommit?: (db: Kysely<Database>, tenantId: string, events: readonly UnnumberedEvent[]) => Promise<void>;
  /**
   * The largest feed key below which nothing can commit any more (a bigint expression):
   * PostgreSQL: one less than the oldest transaction id still running in the statement's
   * snapshot; SQLite (one writer; a transaction's writes are not seen before it commits):
   * the counter.
   */
  feedHorizon(): RawBuilder<number>;
  /** The text at `path` inside a JSON column, NULL when absent. */
  jsonText(column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown>;
  /** Unicode case folding, the same as `foldCase` in JavaScript. */
  fold(expression: RawBuilder<unknown>): RawBuilder<unknown>;
  /** The unique key an error broke, when the error is a unique violation. */
  uniqueViolation(error: unknown): string | undefined;
  /**
   * Whether an error means the transaction lost a race with another one and may simply be
   * run again (a deadlock or a serialization failure on PostgreSQL; never on SQLite, whose
   * single connection runs one transaction at a time).
   */
  transientConflict(error: unknown): boolean;

  /**
   * The scalar at `path` (object keys, never empty) inside the JSON document `json`, read as
   * `kind` (see JsonScalarKind); NULL when absent, JSON null, or not a scalar of that kind.
   */
  jsonScalar(json: RawBuilder<unknown>, path: readonly string[], kind: JsonScalarKind): RawBuilder<unknown>;
  /** True when `path` exists in `json`, even holding JSON null (it is how `schemas` learns which extensions a resource carries). */
  jsonHas(json: RawBuilder<unknown>, path: readonly string[]): RawBuilder<SqlBool>;
  /**
   * `from … where …` over the elements of the JSON array at `path` in `json`, one row per
   * element, the table aliased `alias`; no rows when the value there is absent or not an
   * array. It ends in a WHERE condition, so callers append `and <condition>`. The element is
   * read with elementJson/elementScalar, its 0-based position with elementOrdinal.
   */
  jsonElements(json: RawBuilder<unknown>, path: readonly string[], alias: string): RawBuilder<unknown>;
  /** An element of `jsonElements` as a JSON document (for jsonScalar on an object element). */
  elementJson(alias: string): RawBuilder<unknown>;
  /** A scalar element of `jsonElements`, read as `kind`; NULL when it is not one of that kind. */
  elementScalar(alias: string, kind: JsonScalarKind): RawBuilder<unknown>;
  /** The position of an element of `jsonElements` in its array, ascending from the first. */
  elementOrdinal(alias: string): RawBuilder<unknown>;

  /**
   * Substring tests on text. `needle` is a plain string: `%`, `_` and `\` in it are not
   * wildcards. Every string (including '') starts with, ends with and contains ''.
   */
  contains(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool>;
  /**
   * The rows (named `row` in the statement, of the tenant's users or groups) one of whose
   * values in `source` may contain `needle` (start with it for `sw`, end with it for `ew`),
   * found through the substring index of migration 024: PostgreSQL, `LIKE` served by
   * pg_trgm; SQLite, a MATCH on the FTS5 trigram table `<table>_search`. A superset at
   * least (the exact test stays); `needle` has three characters or more.
   */
  substringCandidates(source: SubstringSource, row: string, tenantId: string, needle: string, op: 'co' | 'sw' | 'ew'): RawBuilder<SqlBool>;
  startsWith(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool>;
  endsWith(haystack: RawBuilder<unknown>, needle: string): RawBuilder<SqlBool>;
  /**
   * `expression` (text) such that `<`, `>` and ORDER BY on it compare by Unicode code point,
   * which is how the reference evaluator orders strings (SQLite's BINARY collation does it
   * already; PostgreSQL needs COLLATE "C").
   */
  codePointOrder(expression: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * An xsd:dateTime text as epoch milliseconds, exactly as `parseDateTime` (src/scim/filter/date-time.ts)
   * reads it: no offset means UTC, fraction digits past the millisecond are truncated, and
   * text that is not a valid date and time (such as 02-30 or 24:00:00) gives NULL, never an error.
   */
  instant(text: RawBuilder<unknown>): RawBuilder<unknown>;
  /**
   * The plan the engine would choose for `query` on large tables (PostgreSQL: with sequential
   * scans discouraged, since on the small tables of a test it would pick them anyway).
   */
  explain(db: Kysely<Database>, query: CompiledQuery): Promise<QueryPlan>;
  /**
   * Runs `work` so that its statements stop once `deadline` (epoch milliseconds) has passed,
   * rejecting with QueryDeadlineExceeded (src/store/store.ts). `work` runs its statements on
   * the connection it is given and ANDs `guard`, when there is one, into the WHERE clause
   * of every statement that reads many rows: SQLite cannot interrupt a statement from outside
   * (better-sqlite3 is synchronous), so its guard is a function that checks the clock on every
   * row; PostgreSQL sets `statement_timeout` for a transaction instead.
   */
  withDeadline<T>(db: Kysely<Database>, deadline: number, work: (db: Kysely<Database>, guard: RawBuilder<SqlBool> | undefined) => Promise<T>): Promise<T>;
}
