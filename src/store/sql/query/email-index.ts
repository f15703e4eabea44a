import { sql, type QueryExecutorProvider, type SqlBool } from 'kysely';
import { isJsonObject, type JsonObject } from '../../../scim/json.js';
import type { CompileContext } from '../filter/filter-to-sql-context.js';
import { foldCase } from '../fold.js';
import type { Condition } from './condition.js';

/**
 * The email side index: `user_emails(tenant_id, user_id, value_key)` holds each user's email
 * values folded (emails.value is case-insensitive), so that `emails.value eq "x"` and
 * `emails[type eq "work" and value eq "x"]`, which IdPs send to find a user before creating
 * it, run on an index instead of reading every document. A JSON expression index cannot do
 * this: emails is an array. The store writes it with the user, in the same transaction.
 */

/** The folded, distinct, non-empty email values of a user document. */
export function emailKeys(data: JsonObject): string[] {
  const emails = data.emails;
  if (!Array.isArray(emails)) return [];
  const keys = new Set<string>();
  for (const email of emails) {
    if (isJsonObject(email) && typeof email.value === 'string' && email.value !== '') keys.add(foldCase(email.value));
  }
  return [...keys];
}

/** Replaces a user's rows in the side index by those of `data`. */
export async function writeEmailKeys(db: QueryExecutorProvider, tenantId: string, userId: string, data: JsonObject, replace: boolean): Promise<void> {
  if (replace) await sql`delete from user_emails where tenant_id = ${tenantId} and user_id = ${userId}`.execute(db);
  const keys = emailKeys(data);
  if (keys.length === 0) return;
  const rows = keys.map((key) => sql`(${tenantId}, ${userId}, ${key})`);
  await sql`insert into user_emails (tenant_id, user_id, value_key) values ${sql.join(rows)}`.execute(db);
}

/** Rows of the table being filtered that have an email with this folded value. */
export function emailLookup(context: CompileContext, key: string): Condition {
  return sql<SqlBool>`(${sql.ref(`${context.row}.id`)} in (select user_id from user_emails where tenant_id = ${context.tenantId} and value_key = ${key}))`;
}
