import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../database.js';

/**
 * What a deleted tenant's purge removes, in order (children before their parents, so that no
 * cascade deletes an unbounded number of rows in one statement): each table with the columns
 * that identify its rows within the tenant, and which rows stay.
 */
interface PurgeStep {
  readonly table: string;
  readonly key: readonly string[];
  /** A condition on the rows to keep (as `not (…)`), if any. */
  readonly keep?: RawBuilder<unknown>;
}

/** The `tenant.deleted` event stays (it must still reach global webhook endpoints and the global feed). */
const DELETION_EVENT = sql`type = 'tenant.deleted'`;

const STEPS: readonly PurgeStep[] = [
  { table: 'group_members', key: ['group_id', 'member_id'] },
  { table: 'provisioning_log_resources', key: ['resource_id', 'started_at', 'log_id'] },
  { table: 'provisioning_log', key: ['id'] },
  // SQLite's FTS5 tables of migration 024 (users_search, …) follow their rows by trigger.
  { table: 'user_emails', key: ['user_id', 'value_key'] },
  { table: 'users', key: ['id'] },
  { table: 'groups', key: ['id'] },
  { table: 'member_roles', key: ['role', 'member_id'] },
  { table: 'members', key: ['user_id'] },
  { table: 'pending_changes', key: ['seq'] },
  { table: 'api_tokens', key: ['id'] },
  { table: 'setup_links', key: ['id'] },
  { table: 'console_sessions', key: ['id'] },
  { table: 'refused_requests', key: ['minute'] },
  { table: 'undeclared_attributes', key: ['path'] },
  // The purge erases everything an erasure would, and more.
  { table: 'erasures', key: ['id'] },
  // Deliveries of the deletion event to global endpoints stay; the rest (earlier events,
  // the tenant's own endpoints) go.
  {
    table: 'webhook_deliveries',
    key: ['id'],
    keep: sql`event_seq in (select seq from events e where e.tenant_id = webhook_deliveries.tenant_id and e.type = 'tenant.deleted')
      and endpoint_id in (select id from webhook_endpoints where tenant_id is null)`,
  },
  { table: 'webhook_cursors', key: ['endpoint_id'], keep: sql`endpoint_id in (select id from webhook_endpoints where tenant_id is null)` },
  { table: 'webhook_endpoints', key: ['id'] },
  { table: 'events', key: ['seq'], keep: DELETION_EVENT },
  { table: 'event_horizons', key: ['seq'] },
];

/** Removes up to `limit` rows of the first step that has any; how many it removed. */
export async function purgeTenantRows(db: Kysely<Database>, tenantId: string, limit: number): Promise<number> {
  for (const step of STEPS) {
    const key = sql.join(step.key.map((column) => sql.ref(column)));
    const keep = step.keep === undefined ? sql`` : sql`and not (${step.keep})`;
    // A bounded delete that both engines run: the keys of at most `limit` rows, then those rows.
    const result = await sql`delete from ${sql.table(step.table)} where tenant_id = ${tenantId} and (${key}) in (
        select ${key} from ${sql.table(step.table)} where tenant_id = ${tenantId} ${keep} limit ${limit})`.execute(db);
    const removed = Number(result.numAffectedRows ?? 0);
    if (removed > 0) return removed;
  }
  return 0;
}
