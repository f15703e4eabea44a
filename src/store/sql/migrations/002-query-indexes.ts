import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A stored user's email keys as this migration writes them: the distinct non-empty
 * `emails[].value`s, folded (NFC, then lower case). Written out here, not imported, so that
 * the migration does what it did when it was written whatever live code later becomes;
 * query/email-index.ts keeps the rows current from then on, with the same folding.
 */
function emailKeys(stored: unknown): string[] {
  const data: unknown = typeof stored === 'string' ? JSON.parse(stored) : stored;
  const emails = isObject(data) ? data.emails : undefined;
  if (!Array.isArray(emails)) return [];
  const keys = new Set<string>();
  for (const email of emails) {
    if (isObject(email) && typeof email.value === 'string' && email.value !== '') keys.add(email.value.normalize('NFC').toLowerCase());
  }
  return [...keys];
}

/** Indexes the users stored before this migration, a batch at a time. */
async function backfillEmailKeys(db: Kysely<unknown>, batch = 500): Promise<void> {
  let after: { tenant_id: string; id: string } | undefined;
  for (;;) {
    const from = after === undefined ? sql`` : sql`where (tenant_id, id) > (${after.tenant_id}, ${after.id})`;
    const { rows } = await sql<{ tenant_id: string; id: string; data: unknown }>`select tenant_id, id, data from users ${from} order by tenant_id, id limit ${batch}`.execute(db);
    for (const row of rows) {
      const keys = emailKeys(row.data);
      if (keys.length === 0) continue;
      const values = keys.map((key) => sql`(${row.tenant_id}, ${row.id}, ${key})`);
      await sql`insert into user_emails (tenant_id, user_id, value_key) values ${sql.join(values)}`.execute(db);
    }
    const last = rows.at(-1);
    if (last === undefined || rows.length < batch) return;
    after = last;
  }
}

/**
 * Indexes for the filters IdPs send. The email side index (query/email-index.ts): one row per folded email value of a user, so
 * that `emails.value eq` runs on an index. The covering index on (tenant_id, value_key,
 * user_id) answers the lookup without reading the table. Rows go with their user (cascade),
 * also when a tenant is removed. Existing users are indexed here. The membership index by
 * member becomes covering.
 */
export const queryIndexes: RosterMigration = {
  name: '002-query-indexes',
  async up(db: Kysely<unknown>): Promise<void> {
    await db.schema
      .createTable('user_emails')
      .addColumn('tenant_id', 'text', (c) => c.notNull())
      .addColumn('user_id', 'text', (c) => c.notNull())
      .addColumn('value_key', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('user_emails_pk', ['tenant_id', 'user_id', 'value_key'])
      .addForeignKeyConstraint('user_emails_user', ['tenant_id', 'user_id'], 'users', ['tenant_id', 'id'], (c) => c.onDelete('cascade'))
      .execute();
    await db.schema.createIndex('user_emails_value').on('user_emails').columns(['tenant_id', 'value_key', 'user_id']).execute();
    await backfillEmailKeys(db);
    // `members.value eq` and a user's groups look memberships up by member; with group_id in
    // the index the lookup needs no table access, so planners prefer it to the primary key.
    await db.schema.dropIndex('group_members_member').execute();
    await db.schema.createIndex('group_members_member').on('group_members').columns(['tenant_id', 'member_id', 'group_id']).execute();
  },
  async down(db: Kysely<unknown>): Promise<void> {
    await db.schema.dropIndex('group_members_member').execute();
    await db.schema.createIndex('group_members_member').on('group_members').columns(['tenant_id', 'member_id']).execute();
    await db.schema.dropTable('user_emails').ifExists().execute();
  },
};
