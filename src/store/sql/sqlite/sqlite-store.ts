import BetterSqlite3 from 'better-sqlite3';
import { CompiledQuery, Kysely, SqliteDialect, sql, type RawBuilder, type SqlBool, type SqliteDatabase } from 'kysely';
import { parseDateTime } from '../../../scim/filter/date-time.js';
import type { Database } from '../database.js';
import type { DialectAdapter, QueryPlan } from '../dialect-adapter.js';
import { foldCase } from '../fold.js';
import { registerDeadlineFunction, withSqliteDeadline } from './sqlite-deadline.js';
import { SqliteCheckpointer, type CheckpointerOptions } from './sqlite-checkpointer.js';
import { SqlStore } from '../sql-store.js';

/** SQLite has no Unicode-aware lower(), so Roster registers its own folding function. */
const FOLD_FUNCTION = 'roster_fold';
/**
 * SQLite's date functions accept dates such as 02-30 and differ from parseDateTime on
 * fractions and offsets; filters must agree with the reference evaluator, so the same parser
 * is registered as a function.
 */
const INSTANT_FUNCTION = 'roster_instant';

/** Plan lines of a full read: `SCAN t` (but not a JSON table-valued function), or an index search on tenant_id alone. */
function fullScanOf(detail: string): string | undefined {
  const scan = /^SCAN (\S+)(.*)$/.exec(detail);
  if (scan !== null) return scan[1] === 'CONSTANT' || scan[2]?.includes('VIRTUAL TABLE') === true ? undefined : scan[1];
  const search = /^SEARCH (\S+) USING (?:COVERING )?INDEX \S+ \(tenant_id=\?\)$/.exec(detail);
  return search?.[1];
}

function jsonPathLiteral(path: readonly string[]): string {
  return '$' + path.map((part) => `."${part.replaceAll('"', '""')}"`).join('');
}

export const sqliteAdapter: DialectAdapter = {
  engine: 'sqlite',
  migrationContext: { jsonType: 'text' },
  rowLocks: false,
  skipLocked: (query) => query,
  // One writer at a time, and the counter is raised inside the writing transaction: keys are
  // in commit order, and a reader sees every key up to the counter committed.
  async reserveEvents(db, tenantId, count): Promise<{ lastSeq: number; positionKey: number }> {
    const numbered = await sql<{ event_seq: number }>`update tenants set event_seq = event_seq + ${count} where id = ${tenantId} returning event_seq`.execute(db);
    const seq = numbered.rows[0];
    if (seq === undefined) throw new Error(`no tenant ${tenantId}`);
    const key = await sql<{ value: number }>`insert into event_positions (id, value) values (1, 1)
      on conflict (id) do update set value = value + 1 returning value`.execute(db);
    return { lastSeq: Number(seq.event_seq), positionKey: Number(key.rows[0]?.value) };
  },
  feedHorizon: (): RawBuilder<number> => sql<number>`(select coalesce(max(value), 0) from event_positions)`,
  jsonText: (column, path): RawBuilder<unknown> => sql`json_extract(${column}, ${jsonPathLiteral(path)})`,
  fold: (expression): RawBuilder<unknown> => sql`${sql.raw(FOLD_FUNCTION)}(${expression})`,
  transientConflict: (): boolean => false,
  uniqueViolation(error: unknown): string | undefined {
    if (!(error instanceof Error) || (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' && (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
    return /UNIQUE constraint failed: (.*)$/.exec(error.message)?.[1] ?? 'primary key';
  },
  jsonScalar: (json, path): RawBuilder<unknown> => sql`json_extract(${json}, ${jsonPathLiteral(path)})`,
  jsonHas: (json, path): RawBuilder<SqlBool> => sql<SqlBool>`(json_type(${json}, ${jsonPathLiteral(path)}) is not null)`,
  // json_each also walks an object's members (text keys) and yields a scalar itself (NULL
  // key); array elements are the rows with an integer key.
  jsonElements: (json, path, alias): RawBuilder<unknown> =>
    sql`from json_each(${json}, ${jsonPathLiteral(path)}) as ${sql.id(alias)} where typeof(${sql.ref(`${alias}.key`)}) = 'integer'`,
  elementJson: (alias): RawBuilder<unknown> => sql.ref(`${alias}.value`),
  // json_each gives strings as text, numbers as numbers and true/false as 1/0.
  elementScalar: (alias): RawBuilder<unknown> => sql.ref(`${alias}.value`),
  elementOrdinal: (alias): RawBuilder<unknown> => sql.ref(`${alias}.key`),
  contains: (haystack, needle): RawBuilder<SqlBool> => sql<SqlBool>`(instr(${haystack}, ${needle}) > 0)`,
  // Trigrams covering the needle, all in the column of the FTS5 trigram table: a superset of
  // the texts containing it, which the exact test narrows (as it does for sw and ew). The table
  // keeps no positions (migration 025), so it answers no phrase; a GLOB on the column would,
  // but SQLite re-tests a GLOB on each candidate by reading its source row. The FTS5 table
  // knows source rows by rowid; the statement reads them by id, so that the row is found by
  // its (tenant_id, id) key rather than the planner reading the tenant to test rowids.
  substringCandidates: (source, row, _tenantId, needle): RawBuilder<SqlBool> => {
    const search = sql.table(`${source.table}_search`);
    const query = `${source.column} : (${trigramsOf(needle).map((trigram) => `"${trigram.replace(/"/g, '""')}"`).join(' AND ')})`;
    return sql<SqlBool>`(${sql.ref(`${row}.id`)} in (select ${sql.ref(`s.${source.key}`)} from ${sql.table(source.table)} as s where s.rowid in (select rowid from ${search} where ${search} match ${query})))`;
  },
  // substr and length count characters, so these are exact prefix and suffix tests.
  startsWith: (haystack, needle): RawBuilder<SqlBool> => sql<SqlBool>`(substr(${haystack}, 1, length(${needle})) = ${needle})`,
  endsWith: (haystack, needle): RawBuilder<SqlBool> =>
    sql<SqlBool>`(length(${haystack}) >= length(${needle}) and substr(${haystack}, length(${haystack}) - length(${needle}) + 1) = ${needle})`,
  // BINARY collation compares UTF-8 bytes, which is code point order.
  codePointOrder: (expression): RawBuilder<unknown> => expression,
  instant: (text): RawBuilder<unknown> => sql`${sql.raw(INSTANT_FUNCTION)}(${text})`,
  async explain(db, query): Promise<QueryPlan> {
    const result = await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${query.sql}`, [...query.parameters]));
    const lines = result.rows.map((row) => row.detail);
    // A scan of a materialised CTE or subquery reads rows already found, not a table.
    const derived = new Set(lines.flatMap((line) => /^(?:MATERIALIZE|CO-ROUTINE) (\S+)/.exec(line)?.[1] ?? []));
    return { lines, fullScans: lines.flatMap((line) => fullScanOf(line) ?? []).filter((name) => !derived.has(name)) };
  },
  withDeadline: withSqliteDeadline,
};

/**
 * Runs of three code points that cover `text` (as FTS5's trigram tokenizer cuts them): one
 * every three characters and the last, fewer lists for the index to read than every trigram.
 */
function trigramsOf(text: string): string[] {
  const characters = [...text];
  const starts = characters.slice(2).map((_, index) => index).filter((index) => index % 3 === 0 || index === characters.length - 3);
  return [...new Set(starts.map((index) => characters.slice(index, index + 3).join('')))];
}

/**
 * Where SQLite keeps temporary data: in memory during a write transaction, in temporary files
 * otherwise. A savepoint (each /Bulk operation's, each transaction of a shared commit) keeps
 * a copy of every page it changes that the transaction had changed before it; past 64 kB
 * SQLite spills those copies to a temporary file, two writes a page, as many as the commit
 * itself. In memory they cost nothing of the sort, and a write's copies are bounded by what
 * the write changes. A read's sort is not bounded that way (ordering a million users holds
 * them all: 2.6 GB in memory, 81 MB with files), so outside a write the files are back.
 * The setting can change only between transactions: it is switched as `begin` (Kysely's,
 * which write transactions use) is prepared, and back by the first statement prepared after
 * the transaction has ended; a read snapshot begins with `begin deferred` and stays on files.
 */
class TemporaryStorage {
  private inMemory = false;

  constructor(private readonly db: BetterSqlite3.Database) {}

  before(source: string): void {
    if (source === 'begin') {
      if (!this.inMemory) this.db.pragma('temp_store = MEMORY');
      this.inMemory = true;
    } else if (this.inMemory && !this.db.inTransaction) {
      this.db.pragma('temp_store = DEFAULT');
      this.inMemory = false;
    }
  }
}

/**
 * Kysely prepares a statement on every call; caching prepared statements by SQL text saves
 * that work on the hot read paths. (Roster never streams from SQLite, so a cached statement
 * is never busy when it is reused.)
 */
function withStatementCache(db: BetterSqlite3.Database, checkpointer: SqliteCheckpointer | undefined, capacity = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const temporaryStorage = new TemporaryStorage(db);
  return {
    close: () => db.close(),
    prepare(source: string): BetterSqlite3.Statement {
      // Kysely commits every transaction with a plain `commit` statement.
      if (source === 'commit') checkpointer?.committed();
      temporaryStorage.before(source);
      let statement = cache.get(source);
      if (statement === undefined) {
        statement = db.prepare(source);
        if (cache.size >= capacity) cache.delete(cache.keys().next().value as string);
        cache.set(source, statement);
      }
      return statement;
    },
  };
}

export interface SqliteOptions {
  /** A file path, or ':memory:'. */
  readonly filename: string;
  /** When the background checkpoints run (sqlite-checkpointer.ts). */
  readonly checkpoints?: CheckpointerOptions;
}

/** Opens (creating if needed) a SQLite database in WAL mode with foreign keys on. */
export function openSqliteStore(options: SqliteOptions): SqlStore {
  const raw = new BetterSqlite3(options.filename);
  raw.pragma('journal_mode = WAL');
  // NORMAL keeps every committed transaction across a process crash (the WAL is written
  // before commit returns); only a power loss can drop the last ones. See docs/operations.md.
  raw.pragma('synchronous = NORMAL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  raw.function(FOLD_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? foldCase(value) : value));
  registerDeadlineFunction(raw);
  raw.function(INSTANT_FUNCTION, { deterministic: true }, (value: unknown) => (typeof value === 'string' ? (parseDateTime(value) ?? null) : null));
  // A database in memory has no WAL: nothing to checkpoint.
  const checkpointer = options.filename === ':memory:' ? undefined : new SqliteCheckpointer(options.filename, options.checkpoints);
  // Under a steady stream of commits the worker's checkpoints never catch up with the end of
  // the WAL, so the WAL cannot restart; the main connection still checkpoints at 10,000 pages
  // (40 MB), by then with little left to copy.
  if (checkpointer !== undefined) raw.pragma('wal_autocheckpoint = 10000');
  // One connection, so writes queue anyway: those begun together share a commit (shared-commits.ts).
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw, checkpointer) }) });
  return new SqlStore(db, sqliteAdapter, undefined, () => checkpointer?.close(), true);
}
