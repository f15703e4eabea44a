import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type RawBuilder, type SqliteDatabase } from 'kysely';
import type { Database } from './database.js';
import type { DialectAdapter } from './dialect-adapter.js';
import { foldCase } from './fold.js';
import { SqlStore } from './sql-store.js';

/** SQLite has no Unicode-aware lower(), so Roster registers its own folding function. */
const FOLD_FUNCTION = 'roster_fold';

function jsonPathLiteral(path: readonly string[]): string {
  return '$' + path.map((part) => `."${part.replaceAll('"', '""')}"`).join('');
}

export const sqliteAdapter: DialectAdapter = {
  engine: 'sqlite',
  migrationContext: { jsonType: 'text' },
  rowLocks: false,
  jsonText: (column, path): RawBuilder<unknown> => sql`json_extract(${column}, ${jsonPathLiteral(path)})`,
  fold: (expression): RawBuilder<unknown> => sql`${sql.raw(FOLD_FUNCTION)}(${expression})`,
  uniqueViolation(error: unknown): string | undefined {
    if (!(error instanceof Error) || (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_UNIQUE' && (error as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') return undefined;
    return /UNIQUE constraint failed: (.*)$/.exec(error.message)?.[1] ?? 'primary key';
  },
};

/**
 * Kysely prepares a statement on every call; caching prepared statements by SQL text saves
 * that work on the hot read paths. (Roster never streams from SQLite, so a cached statement
 * is never busy when it is reused.)
 */
function withStatementCache(db: BetterSqlite3.Database, capacity = 500): SqliteDatabase {
  const cache = new Map<string, BetterSqlite3.Statement>();
  return {
    close: () => db.close(),
    prepare(source: string): BetterSqlite3.Statement {
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
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(raw) }) });
  return new SqlStore(db, sqliteAdapter);
}
