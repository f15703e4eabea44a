import type { JsonObject } from '../scim/json.js';
import { EVENT_SCHEMA_VERSION } from '../store/event-envelope.js';
import type { EventRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import { Invalid, NotFound } from './errors.js';

/**
 * An event as products see it, in the feed and in webhook bodies (docs/events.md): the
 * envelope (id, per-tenant sequence, type, tenant, time, resource) around the type's payload.
 */
export function eventEnvelope(event: EventRecord): JsonObject {
  const { schemaVersion, tenantId: _tenant, ...data } = event.payload;
  return {
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : EVENT_SCHEMA_VERSION,
    id: event.id,
    seq: event.seq,
    type: event.type,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    resource: { type: event.resourceType, id: event.resourceId },
    data,
  };
}

export interface FeedPage {
  readonly events: readonly JsonObject[];
  /** Where the next poll continues: the last event's seq, or the cursor given when nothing is new. */
  readonly nextCursor: string;
  /** More events wait past this page: poll again at once. */
  readonly hasMore: boolean;
}

const MAX_LIMIT = 1000;

/** The event feed, for products that poll instead of receiving webhooks. */
export class EventFeedService {
  constructor(private readonly store: Store) {}

  /** Events of a tenant after `after` (a seq, "0" or absent for the beginning), oldest first. */
  async list(tenantId: string, after: string | undefined, limit = 100): Promise<FeedPage> {
    if ((await this.store.read.tenants.get(tenantId)) === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    const cursor = after === undefined || after === '' ? 0 : Number(after);
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new Invalid('"after" must be a cursor from a previous page (a whole number).');
    const size = Math.min(Math.max(limit, 1), MAX_LIMIT);
    const rows = await this.store.read.events.list(tenantId, cursor, size + 1);
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return { events: page.map(eventEnvelope), nextCursor: String(last?.seq ?? cursor), hasMore: rows.length > size };
  }
}
