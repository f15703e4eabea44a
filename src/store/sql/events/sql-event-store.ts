import { randomUUID } from 'node:crypto';
import { sql, type ExpressionBuilder, type Kysely } from 'kysely';
import type { JsonObject } from '../../../scim/json.js';
import type { EventRecord, NewEvent } from '../../records.js';
import type { EventStore, GlobalFeedQuery } from '../../store.js';
import { decodeJson, type Database, type EventsTable } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { ReusedInsert } from '../query/reused-write.js';
import { decodeFeedPosition, encodeFeedPosition } from './feed-position.js';
import type { PendingEvents, QueuedEvent } from './pending-events.js';

/** Rows per INSERT statement. */
const EVENTS_PER_INSERT = 1000;

type EventsBuilder = ExpressionBuilder<Database, 'events'>;

/** Events whose type is one of `types`: exact names, or families such as `user.*`. */
function typeCondition(eb: EventsBuilder, types: readonly string[]) {
  return eb.or(
    types.map((type) => {
      if (!type.endsWith('.*')) return eb('type', '=', type);
      // `user.*` is every type from `user.` up to (not including) `user/`, '/' being the
      // character after '.': a range the index serves, with no LIKE wildcards to escape.
      const family = type.slice(0, -1);
      return eb.and([eb('type', '>=', family), eb('type', '<', `${family.slice(0, -1)}/`)]);
    }),
  );
}

export class SqlEventStore implements EventStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
    /** A transaction's queue: appends wait there for commit, reads write it first. */
    private readonly pending?: PendingEvents,
  ) {}

  async append(tenantId: string, events: readonly NewEvent[], at: string): Promise<void> {
    if (events.length === 0) return;
    if (this.pending !== undefined) this.pending.add(tenantId, events, at);
    else await writeEvents(this.db, this.adapter, tenantId, events.map((event) => ({ tenantId, event, at })));
  }

  async list(tenantId: string, afterSeq: number, limit: number, types?: readonly string[]): Promise<readonly EventRecord[]> {
    await this.pending?.flush();
    let query = this.db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('seq', '>', afterSeq);
    if (types !== undefined && types.length > 0) query = query.where((eb) => typeCondition(eb, types));
    const rows = await query.orderBy('seq').limit(limit).execute();
    return rows.map(toEventRecord);
  }

  async listGlobal(query: GlobalFeedQuery): Promise<readonly EventRecord[]> {
    await this.pending?.flush();
    const after = query.after === null ? undefined : decodeFeedPosition(query.after);
    let select = this.db
      .selectFrom('events')
      .selectAll()
      // The horizon: only events no transaction still running (or yet to start) can be
      // ordered before, so that a reader's position never passes an event committed later.
      .where('position_key', '<=', this.adapter.feedHorizon());
    if (after !== undefined) {
      const { key, after: last } = after;
      select = select.where((eb) =>
        last === undefined
          ? eb('position_key', '>', key)
          : eb.or([
              eb('position_key', '>', key),
              eb.and([
                eb('position_key', '=', key),
                eb.or([eb('tenant_id', '>', last.tenantId), eb.and([eb('tenant_id', '=', last.tenantId), eb('seq', '>', last.seq)])]),
              ]),
            ]),
      );
    }
    if (query.tenantId !== undefined) select = select.where('tenant_id', '=', query.tenantId);
    const types = query.types;
    if (types !== undefined && types.length > 0) select = select.where((eb) => typeCondition(eb, types));
    const rows = await select.orderBy('position_key').orderBy('tenant_id').orderBy('seq').limit(query.limit).execute();
    return rows.map(toEventRecord);
  }

  async feedPosition(): Promise<string> {
    await this.pending?.flush();
    const row = await sql<{ key: number | string }>`select ${this.adapter.feedHorizon()} as key`.execute(this.db);
    return encodeFeedPosition({ key: Number(row.rows[0]?.key ?? 0) });
  }

  async lastSeq(tenantId: string): Promise<number> {
    await this.pending?.flush();
    // The counter moves in the same transaction as the events it numbers (append above).
    const row = await this.db.selectFrom('tenants').select('event_seq').where('id', '=', tenantId).executeTakeFirst();
    return Number(row?.event_seq ?? 0);
  }
}

const EVENT_COLUMNS = ['tenant_id', 'seq', 'id', 'type', 'resource_type', 'resource_id', 'occurred_at', 'payload', 'position_key'] as const;
/** The inserts of a single write's few events (1 to 4 rows), compiled once. */
const eventInserts = [1, 2, 3, 4].map((rows) => new ReusedInsert('events', EVENT_COLUMNS, undefined, rows));

/** Numbers a tenant's events with one reservation and inserts them. */
export async function writeEvents(db: Kysely<Database>, adapter: DialectAdapter, tenantId: string, events: readonly QueuedEvent[]): Promise<void> {
  // Reserving the numbers with one UPDATE serialises writers per tenant, which is what
  // makes the sequence gap-free and ordered as commits are; the feed key is taken while
  // the tenant's row lock is held (docs/events.md, "The global feed").
  const { lastSeq, positionKey } = await adapter.reserveEvents(db, tenantId, events.length);
  const first = lastSeq - events.length + 1;
  const rows = events.map(({ event, at }, index) => ({
    tenant_id: tenantId,
    seq: first + index,
    id: randomUUID(),
    type: event.type,
    resource_type: event.resourceType,
    resource_id: event.resourceId,
    occurred_at: at,
    payload: JSON.stringify(event.payload),
    position_key: positionKey,
  }));
  // A membership change of thousands of members is thousands of events: insert them in
  // slices that stay below SQLite's 32,766 bound parameters per statement (9 per row).
  const reused = eventInserts[rows.length - 1];
  if (reused !== undefined) return reused.execute(db, adapter, ...rows);
  for (let start = 0; start < rows.length; start += EVENTS_PER_INSERT) {
    await db.insertInto('events').values(rows.slice(start, start + EVENTS_PER_INSERT)).execute();
  }
}

/**
 * Writes a transaction's last events of a tenant, those no read of the transaction comes
 * after: on PostgreSQL numbered inside COMMIT (`queueForCommit`), so the tenant's row lock
 * is not held across the round trips before it; elsewhere as `writeEvents` does.
 */
export async function writeEventsAtCommit(db: Kysely<Database>, adapter: DialectAdapter, tenantId: string, events: readonly QueuedEvent[]): Promise<void> {
  if (adapter.queueForCommit === undefined) return writeEvents(db, adapter, tenantId, events);
  const unnumbered = events.map(({ event, at }) => ({
    id: randomUUID(),
    type: event.type,
    resourceType: event.resourceType,
    resourceId: event.resourceId,
    occurredAt: at,
    payload: JSON.stringify(event.payload),
  }));
  return adapter.queueForCommit(db, tenantId, unnumbered);
}

/** An events row as the store returns it. */
export function toEventRecord(row: EventsTable): EventRecord {
  const seq = Number(row.seq);
  return {
    tenantId: row.tenant_id,
    seq,
    id: row.id,
    type: row.type,
    resourceType: row.resource_type as EventRecord['resourceType'],
    resourceId: row.resource_id,
    occurredAt: row.occurred_at,
    payload: decodeJson<JsonObject>(row.payload),
    position: encodeFeedPosition({ key: Number(row.position_key), after: { tenantId: row.tenant_id, seq } }),
  };
}
