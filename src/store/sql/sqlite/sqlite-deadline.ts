import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';
import { QueryDeadlineExceeded } from '../../store.js';
import type { Database } from '../database.js';

/**
 * better-sqlite3 runs a statement to its end on the event loop, and nothing outside can
 * interrupt it. So a list's statements call this function on every row they consider
 * (it is not deterministic, so SQLite never evaluates it once for all rows); past the
 * deadline it throws, which aborts the statement and rejects the query.
 */
const DEADLINE_FUNCTION = 'roster_before_deadline';

export function registerDeadlineFunction(raw: BetterSqlite3.Database): void {
  raw.function(DEADLINE_FUNCTION, { deterministic: false }, (deadline: unknown) => {
    if (typeof deadline === 'number' && Date.now() > deadline) throw new QueryDeadlineExceeded();
    return 1;
  });
}

export async function withSqliteDeadline<T>(
  db: Kysely<Database>,
  deadline: number,
  work: (db: Kysely<Database>, guard: RawBuilder<SqlBool> | undefined) => Promise<T>,
): Promise<T> {
  if (Date.now() > deadline) throw new QueryDeadlineExceeded();
  return work(db, sql<SqlBool>`(${sql.raw(DEADLINE_FUNCTION)}(${deadline}) = 1)`);
}
