import { sql, type Kysely, type RawBuilder, type SqlBool } from 'kysely';
import { QueryDeadlineExceeded } from '../../store.js';
import type { Database } from '../database.js';

/** SQLSTATE query_canceled: what statement_timeout raises. */
const QUERY_CANCELED = '57014';

function canceled(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === QUERY_CANCELED;
}

/**
 * Runs `work` in a transaction whose statements PostgreSQL cancels once the deadline has
 * passed (`statement_timeout`, local to the transaction, so the pooled connection goes back
 * without it). Inside a caller's transaction the setting is put back afterwards.
 */
export async function withPostgresDeadline<T>(
  db: Kysely<Database>,
  deadline: number,
  work: (db: Kysely<Database>, guard: RawBuilder<SqlBool> | undefined) => Promise<T>,
): Promise<T> {
  const remaining = Math.floor(deadline - Date.now());
  if (remaining <= 0) throw new QueryDeadlineExceeded();
  const run = async (trx: Kysely<Database>): Promise<T> => {
    await sql`select set_config('statement_timeout', ${String(remaining)}, true)`.execute(trx);
    return work(trx, undefined);
  };
  try {
    if (!db.isTransaction) return await db.transaction().execute(run);
    const [before] = (await sql<{ value: string }>`select current_setting('statement_timeout') as value`.execute(db)).rows;
    const result = await run(db);
    await sql`select set_config('statement_timeout', ${before?.value ?? '0'}, true)`.execute(db);
    return result;
  } catch (error) {
    if (canceled(error)) throw new QueryDeadlineExceeded();
    throw error;
  }
}
