import { sql, type Kysely } from 'kysely';
import type { FanOutWork, NewDelivery, WebhookEndpointRecord } from '../../webhook-store.js';
import { decodeJson, type Database, type WebhookEndpointsTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';

export function toEndpoint(row: WebhookEndpointsTable): WebhookEndpointRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    url: row.url,
    eventTypes: decodeJson<string[]>(row.event_types),
    description: row.description,
    enabled: row.enabled === 1,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Endpoints, cursors and the fan-out of events into deliveries (the first half of SqlWebhookStore). */
export class SqlWebhookEndpoints {
  constructor(
    protected readonly db: Kysely<Database>,
    protected readonly adapter: DialectAdapter,
  ) {}

  async insertEndpoint(endpoint: WebhookEndpointRecord, secret: string): Promise<void> {
    await this.db
      .insertInto('webhook_endpoints')
      .values({
        id: endpoint.id,
        tenant_id: endpoint.tenantId,
        url: endpoint.url,
        secret,
        event_types: JSON.stringify(endpoint.eventTypes),
        description: endpoint.description,
        enabled: endpoint.enabled ? 1 : 0,
        created_at: endpoint.createdAt,
        updated_at: endpoint.updatedAt,
      })
      .execute();
  }

  async getEndpoint(id: string): Promise<WebhookEndpointRecord | undefined> {
    const row = await this.db.selectFrom('webhook_endpoints').selectAll().where('id', '=', id).executeTakeFirst();
    return row === undefined ? undefined : toEndpoint(row);
  }

  async listEndpoints(tenantId?: string): Promise<readonly WebhookEndpointRecord[]> {
    let query = this.db.selectFrom('webhook_endpoints').selectAll().orderBy('created_at').orderBy('id');
    if (tenantId !== undefined) query = query.where((eb) => eb.or([eb('tenant_id', '=', tenantId), eb('tenant_id', 'is', null)]));
    return (await query.execute()).map(toEndpoint);
  }

  async updateEndpoint(endpoint: WebhookEndpointRecord): Promise<void> {
    await this.db
      .updateTable('webhook_endpoints')
      .set({
        url: endpoint.url,
        event_types: JSON.stringify(endpoint.eventTypes),
        description: endpoint.description,
        enabled: endpoint.enabled ? 1 : 0,
        updated_at: endpoint.updatedAt,
      })
      .where('id', '=', endpoint.id)
      .execute();
  }

  async getSecret(id: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('webhook_endpoints').select('secret').where('id', '=', id).executeTakeFirst();
    return row?.secret;
  }

  async setSecret(id: string, secret: string, at: string): Promise<void> {
    await this.db.updateTable('webhook_endpoints').set({ secret, updated_at: at }).where('id', '=', id).execute();
  }

  async deleteEndpoint(id: string): Promise<boolean> {
    // Cursors and deliveries go by their foreign keys' ON DELETE CASCADE.
    const result = await this.db.deleteFrom('webhook_endpoints').where('id', '=', id).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async startCursors(endpointId: string, tenantId: string | null): Promise<void> {
    let tenants = this.db.selectFrom('tenants').select([sql<string>`cast(${endpointId} as text)`.as('endpoint_id'), 'id as tenant_id', 'event_seq as last_seq']);
    // SQLite parses `INSERT … SELECT … ON CONFLICT` only when the SELECT has a WHERE clause.
    tenants = tenantId === null ? tenants.where(sql<boolean>`1 = 1`) : tenants.where('id', '=', tenantId);
    await this.db
      .insertInto('webhook_cursors')
      .columns(['endpoint_id', 'tenant_id', 'last_seq'])
      .expression(tenants)
      .onConflict((oc) => oc.columns(['endpoint_id', 'tenant_id']).doNothing())
      .execute();
  }

  async fanOutWork(limit: number): Promise<readonly FanOutWork[]> {
    const rows = await this.db
      .selectFrom('webhook_endpoints as w')
      .innerJoin('tenants as t', (join) => join.on((eb) => eb.or([eb('w.tenant_id', 'is', null), eb('w.tenant_id', '=', eb.ref('t.id'))])))
      .leftJoin('webhook_cursors as c', (join) => join.onRef('c.endpoint_id', '=', 'w.id').onRef('c.tenant_id', '=', 't.id'))
      .select(['w.id as endpoint_id', 't.id as tenant_id', 'w.event_types'])
      .where('w.enabled', '=', 1)
      .where((eb) => eb('t.event_seq', '>', eb.fn.coalesce('c.last_seq', sql.lit(0))))
      .limit(limit)
      .execute();
    return rows.map((row) => ({ endpointId: row.endpoint_id, tenantId: row.tenant_id, eventTypes: decodeJson<string[]>(row.event_types) }));
  }

  async lockCursor(endpointId: string, tenantId: string): Promise<number | undefined> {
    await this.db
      .insertInto('webhook_cursors')
      .values({ endpoint_id: endpointId, tenant_id: tenantId, last_seq: 0 })
      .onConflict((oc) => oc.columns(['endpoint_id', 'tenant_id']).doNothing())
      .execute();
    const query = this.db.selectFrom('webhook_cursors').select('last_seq').where('endpoint_id', '=', endpointId).where('tenant_id', '=', tenantId);
    const row = await this.adapter.skipLocked(query).executeTakeFirst();
    return row === undefined ? undefined : Number(row.last_seq);
  }

  async advanceCursor(endpointId: string, tenantId: string, lastSeq: number): Promise<void> {
    await this.db.updateTable('webhook_cursors').set({ last_seq: lastSeq }).where('endpoint_id', '=', endpointId).where('tenant_id', '=', tenantId).execute();
  }

  async insertDeliveries(deliveries: readonly NewDelivery[], at: string): Promise<void> {
    if (deliveries.length === 0) return;
    await this.db
      .insertInto('webhook_deliveries')
      .values(
        deliveries.map((delivery) => ({
          tenant_id: delivery.tenantId,
          id: delivery.id,
          endpoint_id: delivery.endpointId,
          event_seq: delivery.eventSeq,
          event_type: delivery.eventType,
          resource_key: delivery.resourceKey,
          state: 'pending',
          attempts: 0,
          next_attempt_at: at,
          lease_owner: null,
          lease_until: null,
          last_status: null,
          last_error: null,
          created_at: at,
          updated_at: at,
        })),
      )
      .onConflict((oc) => oc.columns(['tenant_id', 'endpoint_id', 'event_seq']).doNothing())
      .execute();
  }
}
