import { sql, type Kysely } from 'kysely';
import type { RefusedMinute, RefusedRequestStore } from '../../refused-request-store.js';
import type { Database, RefusedRequestsTable } from '../database.js';

function toMinute(row: RefusedRequestsTable): RefusedMinute {
  return {
    tenantId: row.tenant_id,
    minute: row.minute,
    count: Number(row.count),
    lastAt: row.last_at,
    lastStatus: Number(row.last_status),
    lastUserAgent: row.last_user_agent,
  };
}

/** The refused-request summary on a SQL engine: one upsert per tenant and minute. */
export class SqlRefusedRequestStore implements RefusedRequestStore {
  constructor(private readonly db: Kysely<Database>) {}

  async add(minutes: readonly RefusedMinute[]): Promise<void> {
    for (const minute of minutes) {
      await this.db
        .insertInto('refused_requests')
        .values({
          tenant_id: minute.tenantId,
          minute: minute.minute,
          count: minute.count,
          last_at: minute.lastAt,
          last_status: minute.lastStatus,
          last_user_agent: minute.lastUserAgent,
        })
        .onConflict((oc) =>
          oc.columns(['tenant_id', 'minute']).doUpdateSet({
            count: sql<number>`refused_requests.count + excluded.count`,
            // Several processes add to one minute: the latest request's details win (a later flush on a tie).
            last_at: sql<string>`case when excluded.last_at >= refused_requests.last_at then excluded.last_at else refused_requests.last_at end`,
            last_status: sql<number>`case when excluded.last_at >= refused_requests.last_at then excluded.last_status else refused_requests.last_status end`,
            last_user_agent: sql<string | null>`case when excluded.last_at >= refused_requests.last_at then excluded.last_user_agent else refused_requests.last_user_agent end`,
          }),
        )
        .execute();
    }
  }

  async list(tenantId: string, since: string, limit: number): Promise<readonly RefusedMinute[]> {
    const rows = await this.db
      .selectFrom('refused_requests')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('minute', '>=', since)
      .orderBy('minute', 'desc')
      .limit(limit)
      .execute();
    return rows.map(toMinute);
  }

  async prune(tenantId: string, before: string, limit: number): Promise<number> {
    const minutes = this.db.selectFrom('refused_requests').select('minute').where('tenant_id', '=', tenantId).where('minute', '<', before).limit(limit);
    const result = await this.db.deleteFrom('refused_requests').where('tenant_id', '=', tenantId).where('minute', 'in', minutes).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
