import type { Kysely } from 'kysely';

/**
 * What a migration is and what it may know of the engine it runs on. Migrations import only
 * this module and Kysely: they are frozen in time, so nothing they run may change when live
 * code does (table shapes and helpers of today are not those of the day a migration was written).
 */
export interface MigrationContext {
  /** Column type for JSON documents: `text` on SQLite, `jsonb` on PostgreSQL. */
  readonly jsonType: 'text' | 'jsonb';
}

export interface RosterMigration {
  readonly name: string;
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
  down(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}
