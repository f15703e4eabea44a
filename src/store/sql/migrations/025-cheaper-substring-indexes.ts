import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * The substring indexes of 024, cheaper to write; they answer the same filters.
 *
 * SQLite: the FTS5 tables are made again with `detail=column, columnsize=0`: they keep
 * which rows hold each trigram in which column, not where in it, nor column sizes (no
 * ranking is ever asked of them). Such a table answers no phrase: the store asks for rows
 * with trigrams covering the needle in the column, and its exact test decides.
 *
 * PostgreSQL: the GIN trigram indexes take new entries in a pending list (`fastupdate =
 * on`, PostgreSQL's default, which 024 turned off), bounded to the smallest size PostgreSQL
 * allows (64 kB): a write appends instead of updating each trigram's entry, and the list
 * goes into the index in one pass when full. A search reads the pending list whole, so it
 * is kept that small. Without pg_trgm (see 024) there are no indexes, and nothing to do.
 */

/** The indexed columns of each table, as 024 has them (SQLite names its FTS5 table `<table>_search`). */
const SEARCHED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['users', ['user_name_key', 'name_key', 'external_id']],
  ['groups', ['display_name_key', 'external_id']],
  ['user_emails', ['value_key']],
];

/** 024's options, and this migration's. */
const FULL = '';
const LEAN = ", detail='column', columnsize=0";

/** Drops the FTS5 tables and their triggers and makes them again with `options`, indexing the rows there are. */
async function remakeSqliteTables(db: Kysely<unknown>, options: string): Promise<void> {
  for (const [table, columns] of SEARCHED) {
    const search = `${table}_search`;
    for (const event of ['insert', 'delete', 'update']) await sql.raw(`drop trigger if exists ${search}_${event}`).execute(db);
    await sql.raw(`drop table if exists ${search}`).execute(db);
    const list = columns.join(', ');
    const of = (row: 'new' | 'old'): string => columns.map((column) => `${row}.${column}`).join(', ');
    // case_sensitive 1: the columns hold folded (or case-exact) text already.
    await sql.raw(`create virtual table ${search} using fts5(${list}, content='${table}', content_rowid='rowid', tokenize='trigram case_sensitive 1'${options})`).execute(db);
    const add = `insert into ${search} (rowid, ${list}) values (new.rowid, ${of('new')});`;
    const remove = `insert into ${search} (${search}, rowid, ${list}) values ('delete', old.rowid, ${of('old')});`;
    // The store writes every column of a row on update: the index is left alone unless an indexed value changed.
    const changed = columns.map((column) => `old.${column} is not new.${column}`).join(' or ');
    await sql.raw(`create trigger ${search}_insert after insert on ${table} begin ${add} end`).execute(db);
    await sql.raw(`create trigger ${search}_delete after delete on ${table} begin ${remove} end`).execute(db);
    await sql.raw(`create trigger ${search}_update after update of ${list} on ${table} when ${changed} begin ${remove} ${add} end`).execute(db);
    await sql.raw(`insert into ${search} (${search}) values ('rebuild')`).execute(db);
  }
}

/** The trigram indexes 024 made (none when PostgreSQL refused it pg_trgm). */
async function trigramIndexes(db: Kysely<unknown>): Promise<string[]> {
  const names = SEARCHED.flatMap(([table, columns]) => columns.map((column) => `${table}_${column}_trgm`));
  const { rows } = await sql<{ name: string }>`select c.relname as name from pg_class c where c.relkind = 'i' and c.relname in (${sql.join(names)}) and pg_table_is_visible(c.oid)`.execute(db);
  return rows.map((row) => row.name);
}

export const cheaperSubstringIndexes: RosterMigration = {
  name: '025-cheaper-substring-indexes',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    if (jsonType === 'text') return remakeSqliteTables(db, LEAN);
    // gin_pending_list_limit is in kB; 64 is its floor.
    for (const index of await trigramIndexes(db)) await sql.raw(`alter index ${index} set (fastupdate = on, gin_pending_list_limit = 64)`).execute(db);
  },
  async down(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    if (jsonType === 'text') return remakeSqliteTables(db, FULL);
    for (const index of await trigramIndexes(db)) {
      await sql.raw(`alter index ${index} set (fastupdate = off)`).execute(db);
      await sql.raw(`alter index ${index} reset (gin_pending_list_limit)`).execute(db);
      // Turning fastupdate off leaves the entries already pending where they are.
      await sql`select gin_clean_pending_list(${index}::regclass)`.execute(db);
    }
  },
};
