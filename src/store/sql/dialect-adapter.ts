import type { RawBuilder } from 'kysely';
import type { MigrationContext } from './migrations/index.js';

/**
 * What differs between the SQL engines. Everything else in store/sql is written once.
 * Expressions are Kysely raw fragments; values inside them are always bound parameters.
 */
export interface DialectAdapter {
  readonly engine: 'sqlite' | 'postgres';
  readonly migrationContext: MigrationContext;
  /** Whether `select … for update` row locks exist (PostgreSQL); SQLite serialises writers instead. */
  readonly rowLocks: boolean;
  /** The text at `path` inside a JSON column, NULL when absent. */
  jsonText(column: RawBuilder<unknown>, path: readonly string[]): RawBuilder<unknown>;
  /** Unicode case folding, the same as `foldCase` in JavaScript. */
  fold(expression: RawBuilder<unknown>): RawBuilder<unknown>;
  /** The unique key an error broke, when the error is a unique violation. */
  uniqueViolation(error: unknown): string | undefined;
}
