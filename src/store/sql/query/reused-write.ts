import type { InsertObject, Kysely, OnConflictBuilder, OnConflictDoNothingBuilder, OnConflictUpdateBuilder } from 'kysely';
import type { Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { ReusedStatement } from './reused-statement.js';

export type Table = Extract<keyof Database, string>;
export type Column<T extends Table> = keyof Database[T] & string;
type ConflictClause<T extends Table> = (oc: OnConflictBuilder<Database, T>) => OnConflictDoNothingBuilder<Database, T> | OnConflictUpdateBuilder<Database, T>;

/** `columns` named by the placeholders ReusedStatement passes, one each, in order. */
export function slotted<T extends Table>(columns: readonly Column<T>[], slots: readonly string[]): Record<string, string> {
  return Object.fromEntries(columns.map((column, index) => [column, slots[index] ?? '']));
}

/**
 * An INSERT of rows with these columns (and an ON CONFLICT clause, if given), compiled
 * once per engine: the hot writes (a create's user, member and log rows) insert the same
 * columns every time, and building the statement cost more CPU than SQLite running it.
 */
export class ReusedInsert<T extends Table> {
  private readonly statement: ReusedStatement<unknown>;

  constructor(
    table: T,
    private readonly columns: readonly Column<T>[],
    onConflict?: ConflictClause<T>,
    /** Rows per statement: `execute` takes exactly this many. */
    private readonly rows = 1,
  ) {
    this.statement = new ReusedStatement(columns.length * rows, (db, ...slots) => {
      const values = Array.from({ length: rows }, (_, row) => slotted(columns, slots.slice(row * columns.length)) as unknown as InsertObject<Database, T>);
      const insert = db.insertInto(table).values(values);
      return onConflict === undefined ? insert : insert.onConflict(onConflict);
    });
  }

  /** Inserts `rows`, which must have every column (null where it has no value). */
  async execute(db: Kysely<Database>, adapter: DialectAdapter, ...rows: readonly Readonly<Record<Column<T>, unknown>>[]): Promise<void> {
    if (rows.length !== this.rows) throw new Error(`${String(this.rows)} rows expected, not ${String(rows.length)}`);
    await this.statement.execute(
      db,
      adapter,
      rows.flatMap((row) => this.columns.map((column) => row[column])),
    );
  }
}
