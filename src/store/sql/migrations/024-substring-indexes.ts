import { sql, type Kysely } from 'kysely';
import type { MigrationContext, RosterMigration } from './types.js';

/**
 * Indexes for the substring filters IdPs send (`co`, `sw`, `ew` on userName, displayName,
 * name.*, emails.value, externalId), read by query/substring-index.ts as a prefilter that
 * the exact test then re-checks.
 *
 * `users.name_key`: a user's displayName and name.* values, folded (NFC, then lower case),
 * one per line, so that one indexed column serves them all; the store writes it in the same
 * statement as the row. Existing users get it here.
 *
 * PostgreSQL: GIN trigram indexes (pg_trgm) on the folded columns, on external ids and on
 * user_emails.value_key, led by tenant_id (btree_gin) like every index of tenant data: one
 * index answers both conditions, so the planner prefers it to reading the tenant. `create
 * extension` needs the right to (both are trusted extensions: the database's CREATE
 * privilege is enough); without it, a warning, no indexes, and substring filters keep
 * reading the tenant's rows within the cost budget and the list deadline.
 *
 * SQLite: FTS5 tables with the trigram tokenizer over the same columns (external content:
 * they keep only the index, by the source row's rowid), kept current by triggers in the
 * writing transaction.
 */

/** Written out here, not imported, so that the migration stays what it was (see types.ts). */
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameKey(stored: unknown): string | null {
  const data: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  if (!isObject(data)) return null;
  const name = isObject(data.name) ? data.name : {};
  const values = [data.displayName, ...NAME_PARTS.map((part) => name[part])].filter((value): value is string => typeof value === 'string' && value !== '');
  return values.length === 0 ? null : values.map((value) => value.normalize('NFC').toLowerCase()).join('\n');
}

async function backfillNameKeys(db: Kysely<unknown>, batch = 500): Promise<void> {
  let after: { tenant_id: string; id: string } | undefined;
  for (;;) {
    const from = after === undefined ? sql`` : sql`where (tenant_id, id) > (${after.tenant_id}, ${after.id})`;
    const { rows } = await sql<{ tenant_id: string; id: string; data: unknown }>`select tenant_id, id, data from users ${from} order by tenant_id, id limit ${batch}`.execute(db);
    for (const row of rows) {
      const key = nameKey(row.data);
      if (key !== null) await sql`update users set name_key = ${key} where tenant_id = ${row.tenant_id} and id = ${row.id}`.execute(db);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) return;
    after = last;
  }
}

/** The indexed columns of each table (SQLite names its FTS5 table `<table>_search`). */
const SEARCHED: ReadonlyArray<readonly [string, readonly string[]]> = [
  ['users', ['user_name_key', 'name_key', 'external_id']],
  ['groups', ['display_name_key', 'external_id']],
  ['user_emails', ['value_key']],
];

async function sqliteUp(db: Kysely<unknown>): Promise<void> {
  for (const [table, columns] of SEARCHED) {
    const search = `${table}_search`;
    const list = columns.join(', ');
    const of = (row: 'new' | 'old'): string => columns.map((column) => `${row}.${column}`).join(', ');
    // case_sensitive 1: the columns hold folded (or case-exact) text already.
    await sql.raw(`create virtual table ${search} using fts5(${list}, content='${table}', content_rowid='rowid', tokenize='trigram case_sensitive 1')`).execute(db);
    const add = `insert into ${search} (rowid, ${list}) values (new.rowid, ${of('new')});`;
    const remove = `insert into ${search} (${search}, rowid, ${list}) values ('delete', old.rowid, ${of('old')});`;
    const changed = columns.map((column) => `old.${column} is not new.${column}`).join(' or ');
    await sql.raw(`create trigger ${search}_insert after insert on ${table} begin ${add} end`).execute(db);
    await sql.raw(`create trigger ${search}_delete after delete on ${table} begin ${remove} end`).execute(db);
    await sql.raw(`create trigger ${search}_update after update of ${list} on ${table} when ${changed} begin ${remove} ${add} end`).execute(db);
    await sql.raw(`insert into ${search} (${search}) values ('rebuild')`).execute(db);
  }
}

/** Whether pg_trgm and btree_gin are there now: created here, or already (by an administrator). */
async function createTrigramExtension(db: Kysely<unknown>): Promise<boolean> {
  // The migrator runs migrations in one transaction: a refused CREATE EXTENSION must not abort it.
  const inTransaction = db.isTransaction;
  if (inTransaction) await sql`savepoint roster_pg_trgm`.execute(db);
  try {
    await sql`create extension if not exists pg_trgm`.execute(db);
    await sql`create extension if not exists btree_gin`.execute(db);
    if (inTransaction) await sql`release savepoint roster_pg_trgm`.execute(db);
    return true;
  } catch (error) {
    if (inTransaction) await sql`rollback to savepoint roster_pg_trgm`.execute(db);
    const reason = error instanceof Error ? error.message : String(error);
    process.emitWarning(`Could not create the pg_trgm and btree_gin extensions (${reason}): substring filters (co, sw, ew) will read each tenant's rows instead of an index. See docs/operations.md.`, { code: 'ROSTER_PG_TRGM' });
    return false;
  }
}

async function postgresUp(db: Kysely<unknown>): Promise<void> {
  if (!(await createTrigramExtension(db))) return;
  // The extension may live in a schema off this database user's search path (created earlier
  // for another schema): its operator class is named with its schema.
  const { rows } = await sql<{ schema: string }>`select n.nspname as schema from pg_extension e join pg_namespace n on n.oid = e.extnamespace where e.extname = 'pg_trgm'`.execute(db);
  const schema = rows[0]?.schema ?? 'public';
  const opclass = `"${schema.replace(/"/g, '""')}".gin_trgm_ops`;
  // fastupdate off: each write updates the index itself instead of a pending list that every
  // search would read in full (and the planner would price so) until vacuum merges it.
  for (const [table, columns] of SEARCHED) {
    for (const column of columns) await sql.raw(`create index ${table}_${column}_trgm on ${table} using gin (tenant_id, ${column} ${opclass}) with (fastupdate = off)`).execute(db);
  }
}

export const substringIndexes: RosterMigration = {
  name: '024-substring-indexes',
  async up(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    await db.schema.alterTable('users').addColumn('name_key', 'text').execute();
    await backfillNameKeys(db);
    if (jsonType === 'jsonb') await postgresUp(db);
    else await sqliteUp(db);
  },
  async down(db: Kysely<unknown>, { jsonType }: MigrationContext): Promise<void> {
    for (const [table, columns] of SEARCHED) {
      if (jsonType === 'jsonb') {
        for (const column of columns) await sql.raw(`drop index if exists ${table}_${column}_trgm`).execute(db);
      } else {
        for (const event of ['insert', 'delete', 'update']) await sql.raw(`drop trigger if exists ${table}_search_${event}`).execute(db);
        await sql.raw(`drop table if exists ${table}_search`).execute(db);
      }
    }
    await db.schema.alterTable('users').dropColumn('name_key').execute();
  },
};
