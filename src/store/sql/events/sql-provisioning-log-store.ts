import { sql, type Kysely } from 'kysely';
import type { LogKey } from '../../retention-store.js';
import type { LogCompletion, LogSearch, LoggedResource, ProvisioningLogEntry, ProvisioningLogStore } from '../../log-store.js';
import { decodeJson, type Database, type ProvisioningLogTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { ReusedInsert } from '../query/reused-write.js';

function toRow(entry: ProvisioningLogEntry): ProvisioningLogTable {
  return {
    tenant_id: entry.tenantId,
    id: entry.id,
    started_at: entry.startedAt,
    finished_at: entry.finishedAt,
    token_id: entry.tokenId,
    token_name: entry.tokenName,
    method: entry.method,
    path: entry.path,
    status: entry.status,
    duration_ms: entry.durationMs,
    user_agent: entry.userAgent,
    resources: JSON.stringify(entry.resources),
    events: entry.events,
    scim_type: entry.scimType,
    error_detail: entry.errorDetail,
    request_body: entry.requestBody,
    undeclared: entry.undeclared.length === 0 ? null : JSON.stringify(entry.undeclared),
  };
}

function toEntry(row: ProvisioningLogTable): ProvisioningLogEntry {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    tokenId: row.token_id,
    tokenName: row.token_name,
    method: row.method,
    path: row.path,
    status: row.status === null ? null : Number(row.status),
    durationMs: row.duration_ms === null ? null : Number(row.duration_ms),
    userAgent: row.user_agent,
    resources: decodeJson<LoggedResource[]>(row.resources),
    events: Number(row.events),
    scimType: row.scim_type,
    errorDetail: row.error_detail,
    requestBody: row.request_body,
    undeclared: row.undeclared === null || row.undeclared === undefined ? [] : decodeJson<string[]>(row.undeclared),
  };
}

/** The path as the IdP meant it: `%40` is `@`, `+` a space in a query. */
function decodedPath(path: string): string {
  try {
    return decodeURIComponent(path.replace(/\+/g, ' '));
  } catch {
    return path;
  }
}

/** Whether an entry names one of `terms` (lower-case) in its path, body or error detail. */
function mentions(row: Pick<ProvisioningLogTable, 'path' | 'request_body' | 'error_detail'>, terms: readonly string[]): boolean {
  const text = [row.path, decodedPath(row.path), row.request_body ?? '', row.error_detail ?? ''].join('\n').toLowerCase();
  return terms.some((term) => text.includes(term));
}

/** Resource rows of entries, for the search by resource. */
function resourceRows(entries: readonly ProvisioningLogEntry[]): Database['provisioning_log_resources'][] {
  const rows = new Map<string, Database['provisioning_log_resources']>();
  for (const entry of entries) {
    for (const resource of entry.resources) {
      rows.set(`${entry.tenantId} ${entry.id} ${resource.id}`, { tenant_id: entry.tenantId, resource_id: resource.id, started_at: entry.startedAt, log_id: entry.id });
    }
  }
  return [...rows.values()];
}

/** A request's entry: a /Bulk group's transactions each write it again with what they added. */
const logUpsert = new ReusedInsert(
  'provisioning_log',
  ['tenant_id', 'id', 'started_at', 'finished_at', 'token_id', 'token_name', 'method', 'path', 'status', 'duration_ms', 'user_agent', 'resources', 'events', 'scim_type', 'error_detail', 'request_body', 'undeclared'],
  (oc) => oc.columns(['tenant_id', 'id']).doUpdateSet((eb) => ({ resources: eb.ref('excluded.resources'), events: eb.ref('excluded.events'), undeclared: eb.ref('excluded.undeclared') })),
);

/** The resource row of a request that wrote one resource, the usual case. */
const resourceInsert = new ReusedInsert('provisioning_log_resources', ['tenant_id', 'resource_id', 'started_at', 'log_id'], (oc) => oc.doNothing());

/** The provisioning log on a SQL engine. */
export class SqlProvisioningLogStore implements ProvisioningLogStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async upsert(entry: ProvisioningLogEntry, added: readonly LoggedResource[]): Promise<void> {
    const row = toRow(entry);
    await logUpsert.execute(this.db, this.adapter, row);
    await this.insertResources([{ ...entry, resources: added }]);
  }

  async insertMany(entries: readonly ProvisioningLogEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.db.insertInto('provisioning_log').values(entries.map(toRow)).execute();
    await this.insertResources(entries);
  }

  private async insertResources(entries: readonly ProvisioningLogEntry[]): Promise<void> {
    const rows = resourceRows(entries);
    // A /Bulk request may touch thousands: insert in slices below the engines' parameter limits.
    const [only] = rows;
    if (rows.length === 1 && only !== undefined) return resourceInsert.execute(this.db, this.adapter, only);
    for (let start = 0; start < rows.length; start += 500) {
      await this.db
        .insertInto('provisioning_log_resources')
        .values(rows.slice(start, start + 500))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
  }

  async complete(completions: readonly LogCompletion[]): Promise<void> {
    // One UPDATE per slice, joined to the responses as a VALUES list (7 parameters a row),
    // instead of one UPDATE per write. VALUES columns are column1…column7 on both engines;
    // the casts type PostgreSQL's parameters, which a VALUES list leaves as text.
    for (let start = 0; start < completions.length; start += 500) {
      const rows = completions
        .slice(start, start + 500)
        .map((done) => sql`(${done.tenantId}, ${done.id}, ${done.finishedAt}, cast(${done.status} as integer), cast(${done.durationMs} as double precision), ${done.scimType}, ${done.errorDetail})`);
      await sql`update provisioning_log set finished_at = v.column3, status = v.column4, duration_ms = v.column5, scim_type = v.column6, error_detail = v.column7
        from (values ${sql.join(rows)}) as v
        where provisioning_log.tenant_id = v.column1 and provisioning_log.id = v.column2`.execute(this.db);
    }
  }

  async search(tenantId: string, query: LogSearch): Promise<readonly ProvisioningLogEntry[]> {
    let select = this.db.selectFrom('provisioning_log as l').selectAll('l').where('l.tenant_id', '=', tenantId);
    if (query.since !== undefined) select = select.where('l.started_at', '>=', query.since);
    if (query.until !== undefined) select = select.where('l.started_at', '<', query.until);
    const status = query.status;
    if (status !== undefined) select = select.where('l.status', '>=', status.min).where('l.status', '<=', status.max);
    const resourceId = query.resourceId;
    if (resourceId !== undefined) {
      select = select.where((eb) =>
        eb.exists(
          eb
            .selectFrom('provisioning_log_resources as r')
            .select('r.log_id')
            .where('r.tenant_id', '=', tenantId)
            .where('r.resource_id', '=', resourceId)
            .whereRef('r.log_id', '=', 'l.id'),
        ),
      );
    }
    const text = query.text;
    if (text !== undefined && text !== '') {
      const fields = ['l.path', 'l.request_body', 'l.error_detail', 'l.user_agent', 'l.token_name'] as const;
      // Case-insensitive (ASCII on SQLite), with LIKE's wildcards in the text escaped.
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
      select = select.where((eb) => eb.or(fields.map((field) => sql<boolean>`lower(${sql.ref(field)}) like ${pattern} escape '\\'`)));
    }
    const before = query.before;
    if (before !== undefined) {
      select = select.where((eb) =>
        eb.or([eb('l.started_at', '<', before.startedAt), eb.and([eb('l.started_at', '=', before.startedAt), eb('l.id', '<', before.id)])]),
      );
    }
    const rows = await select.orderBy('l.started_at', 'desc').orderBy('l.id', 'desc').limit(query.limit).execute();
    return rows.map(toEntry);
  }

  async prune(tenantId: string, before: string, limit: number): Promise<number> {
    const ids = this.db.selectFrom('provisioning_log').select('id').where('tenant_id', '=', tenantId).where('started_at', '<', before).limit(limit);
    // Resource rows go with their entry (ON DELETE CASCADE).
    const result = await this.db.deleteFrom('provisioning_log').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async eraseForResource(tenantId: string, resourceId: string): Promise<void> {
    const rows = await this.db
      .selectFrom('provisioning_log as l')
      .innerJoin('provisioning_log_resources as r', (join) => join.onRef('r.tenant_id', '=', 'l.tenant_id').onRef('r.log_id', '=', 'l.id'))
      .select(['l.id', 'l.path'])
      .where('r.tenant_id', '=', tenantId)
      .where('r.resource_id', '=', resourceId)
      .execute();
    await this.erase(tenantId, rows);
  }

  async eraseAfter(tenantId: string, after: LogKey | undefined, until: string, limit: number, terms?: readonly string[]): Promise<LogKey | undefined> {
    let query = this.db.selectFrom('provisioning_log').select(['id', 'path', 'started_at', 'request_body', 'error_detail']).where('tenant_id', '=', tenantId).where('started_at', '<=', until);
    if (after !== undefined) {
      query = query.where((eb) => eb.or([eb('started_at', '>', after.startedAt), eb.and([eb('started_at', '=', after.startedAt), eb('id', '>', after.id)])]));
    }
    const rows = await query.orderBy('started_at').orderBy('id').limit(limit).execute();
    await this.erase(tenantId, terms === undefined ? rows : rows.filter((row) => mentions(row, terms)));
    const last = rows[rows.length - 1];
    return last === undefined ? undefined : { startedAt: last.started_at, id: last.id };
  }

  /** What may name a person goes: the body, the error detail (a duplicate userName), the query (a filter). */
  private async erase(tenantId: string, rows: readonly { readonly id: string; readonly path: string }[]): Promise<void> {
    for (const row of rows) {
      const query = row.path.indexOf('?');
      await this.db
        .updateTable('provisioning_log')
        .set({ request_body: null, error_detail: null, path: query < 0 ? row.path : row.path.slice(0, query) })
        .where('tenant_id', '=', tenantId)
        .where('id', '=', row.id)
        .execute();
    }
  }
}
