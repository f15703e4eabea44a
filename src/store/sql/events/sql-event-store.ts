import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { EventRecord, NewEvent } from '../../records.js';
import type { EventStore } from '../../store.js';
import { decodeJson, type Database, type EventsTable } from '../database.js';

/** Rows per INSERT statement. */
const EVENTS_PER_INSERT = 1000;

export class SqlEventStore implements EventStore {
  constructor(private readonly db: Kysely<Database>) {}

  async append(tenantId: string, events: readonly NewEvent[], at: string): Promise<void> {
    if (events.length === 0) return;
    // Reserving the numbers with one UPDATE serialises writers per tenant, which is what
    // makes the sequence gap-free and ordered as commits are.
    const row = await this.db
      .updateTable('tenants')
      .set((eb) => ({ event_seq: eb('event_seq', '+', events.length) }))
      .where('id', '=', tenantId)
      .returning('event_seq')
      .executeTakeFirstOrThrow();
    const first = Number(row.event_seq) - events.length + 1;
    const rows = events.map((event, index) => ({
      tenant_id: tenantId,
      seq: first + index,
      id: randomUUID(),
      type: event.type,
      resource_type: event.resourceType,
      resource_id: event.resourceId,
      occurred_at: at,
      payload: JSON.stringify(event.payload),
    }));
    // A membership change of thousands of members is thousands of events: insert them in
    // slices that stay below SQLite's 32,766 bound parameters per statement (8 per row).
    for (let start = 0; start < rows.length; start += EVENTS_PER_INSERT) {
      await this.db.insertInto('events').values(rows.slice(start, start + EVENTS_PER_INSERT)).execute();
    }
  }

  async list(tenantId: string, afterSeq: number, limit: number): Promise<readonly EventRecord[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', afterSeq)
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEventRecord);
  }

  async lastSeq(tenantId: string): Promise<number> {
    // The counter moves in the same transaction as the events it numbers (append above).
    const row = await this.db.selectFrom('tenants').select('event_seq').where('id', '=', tenantId).executeTakeFirst();
    return Number(row?.event_seq ?? 0);
  }
}

/** An events row as the store returns it. */
export function toEventRecord(row: EventsTable): EventRecord {
  return {
    tenantId: row.tenant_id,
    seq: Number(row.seq),
    id: row.id,
    type: row.type,
    resourceType: row.resource_type as EventRecord['resourceType'],
    resourceId: row.resource_id,
    occurredAt: row.occurred_at,
    payload: decodeJson<JsonObject>(row.payload),
  };
}
