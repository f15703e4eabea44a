import type { AttemptOutcome, DeliveryListQuery, DeliveryRecord, DeliveryState, DeliveryTask, WebhookStore } from '../../webhook-store.js';
import type { WebhookDeliveriesTable } from '../database.js';
import { toEventRecord } from './sql-event-store.js';
import { SqlWebhookEndpoints } from './sql-webhook-endpoints.js';

function toDelivery(row: WebhookDeliveriesTable): DeliveryRecord {
  return {
    tenantId: row.tenant_id,
    id: row.id,
    endpointId: row.endpoint_id,
    eventSeq: Number(row.event_seq),
    eventType: row.event_type,
    state: row.state as DeliveryState,
    attempts: Number(row.attempts),
    nextAttemptAt: row.next_attempt_at,
    lastStatus: row.last_status === null ? null : Number(row.last_status),
    lastError: row.last_error,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Errors are kept short: they are for people reading the dead-letter list. */
function clip(text: string): string {
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

/** Webhook endpoints, cursors and deliveries on a SQL engine. */
export class SqlWebhookStore extends SqlWebhookEndpoints implements WebhookStore {
  async claim(owner: string, now: string, leaseUntil: string, limit: number): Promise<readonly DeliveryTask[]> {
    // The head of each endpoint's and resource's queue: a later event of a resource waits
    // while an earlier one is pending (being sent, or waiting for its next try).
    const heads = this.db
      .selectFrom('webhook_deliveries as d')
      .select(['d.tenant_id', 'd.id'])
      .where('d.state', '=', 'pending')
      .where('d.next_attempt_at', '<=', now)
      .where((eb) => eb.or([eb('d.lease_until', 'is', null), eb('d.lease_until', '<', now)]))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('webhook_deliveries as p')
              .select('p.id')
              .whereRef('p.tenant_id', '=', 'd.tenant_id')
              .whereRef('p.endpoint_id', '=', 'd.endpoint_id')
              .whereRef('p.resource_key', '=', 'd.resource_key')
              .where('p.state', '=', 'pending')
              .whereRef('p.event_seq', '<', 'd.event_seq'),
          ),
        ),
      )
      .orderBy('d.next_attempt_at')
      .orderBy('d.event_seq')
      .limit(limit);
    const claimed = await this.adapter.skipLocked(heads).execute();
    if (claimed.length === 0) return [];
    for (const row of claimed) {
      await this.db
        .updateTable('webhook_deliveries')
        .set({ lease_owner: owner, lease_until: leaseUntil })
        .where('tenant_id', '=', row.tenant_id)
        .where('id', '=', row.id)
        .execute();
    }
    const rows = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .innerJoin('events as e', (join) => join.onRef('e.tenant_id', '=', 'd.tenant_id').onRef('e.seq', '=', 'd.event_seq'))
      .selectAll('d')
      .select(['w.url', 'w.secret', 'e.seq', 'e.type', 'e.resource_type', 'e.resource_id', 'e.occurred_at', 'e.payload', 'e.id as event_id', 'e.position_key'])
      .where(
        'd.id',
        'in',
        claimed.map((row) => row.id),
      )
      .orderBy('d.event_seq')
      .execute();
    return rows.map((row) => ({
      delivery: toDelivery(row),
      url: row.url,
      secret: row.secret,
      event: toEventRecord({
        tenant_id: row.tenant_id,
        seq: row.seq,
        id: row.event_id,
        type: row.type,
        resource_type: row.resource_type,
        resource_id: row.resource_id,
        occurred_at: row.occurred_at,
        payload: row.payload,
        position_key: row.position_key,
      }),
    }));
  }

  async finishAttempt(tenantId: string, id: string, owner: string, outcome: AttemptOutcome, at: string): Promise<boolean> {
    const common = { lease_owner: null, lease_until: null, updated_at: at };
    const changes = ((): Partial<WebhookDeliveriesTable> => {
      switch (outcome.kind) {
        case 'delivered':
          return { ...common, state: 'delivered', last_status: outcome.status, last_error: null };
        case 'retry':
          return { ...common, next_attempt_at: outcome.nextAttemptAt, last_status: outcome.status, last_error: clip(outcome.error) };
        case 'dead':
          return { ...common, state: 'dead', last_status: outcome.status, last_error: clip(outcome.error) };
      }
    })();
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ ...changes, attempts: eb('attempts', '+', 1) }))
      .where('tenant_id', '=', tenantId)
      .where('id', '=', id)
      .where('lease_owner', '=', owner)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async releaseLeases(owner: string): Promise<void> {
    await this.db
      .updateTable('webhook_deliveries')
      .set({ lease_owner: null, lease_until: null })
      .where('state', '=', 'pending')
      .where('lease_owner', '=', owner)
      .execute();
  }

  async listDeliveries(endpointId: string, query: DeliveryListQuery): Promise<readonly DeliveryRecord[]> {
    let select = this.db.selectFrom('webhook_deliveries').selectAll().where('endpoint_id', '=', endpointId);
    if (query.state !== undefined) select = select.where('state', '=', query.state);
    const after = query.after;
    if (after !== undefined) {
      select = select.where((eb) => eb.or([eb('updated_at', '<', after.updatedAt), eb.and([eb('updated_at', '=', after.updatedAt), eb('id', '<', after.id)])]));
    }
    const rows = await select.orderBy('updated_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
    return rows.map(toDelivery);
  }

  async redeliver(endpointId: string, deliveryId: string, at: string): Promise<boolean> {
    const result = await this.db
      .updateTable('webhook_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: at, lease_owner: null, lease_until: null, updated_at: at })
      .where('endpoint_id', '=', endpointId)
      .where('id', '=', deliveryId)
      .where('state', '<>', 'pending')
      .executeTakeFirst();
    if (Number(result.numUpdatedRows) > 0) return true;
    // Already pending: it will go out anyway.
    const row = await this.db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', endpointId).where('id', '=', deliveryId).executeTakeFirst();
    return row !== undefined;
  }

  async countPending(): Promise<number> {
    const row = await this.db
      .selectFrom('webhook_deliveries')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('state', '=', 'pending')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async pruneDelivered(tenantId: string, before: string, limit: number): Promise<number> {
    const ids = this.db
      .selectFrom('webhook_deliveries')
      .select('id')
      .where('tenant_id', '=', tenantId)
      .where('state', '=', 'delivered')
      .where('updated_at', '<', before)
      .limit(limit);
    const result = await this.db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('id', 'in', ids).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}
