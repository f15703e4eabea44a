import type { JsonObject } from '../scim/json.js';
import { EVENT_SCHEMA_VERSION } from '../store/event-envelope.js';
import type { EventRecord } from '../store/records.js';
import { InvalidCursor, type Store } from '../store/store.js';
import { FeedPositionExpired, Invalid, NotFound } from './errors.js';

/**
 * An event as products see it, in the feed and in webhook bodies (docs/events.md): the
 * envelope (id, per-tenant sequence, global position, type, tenant, time, resource) around
 * the type's payload.
 */
export function eventEnvelope(event: EventRecord): JsonObject {
  const { schemaVersion, tenantId: _tenant, ...data } = event.payload;
  return {
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : EVENT_SCHEMA_VERSION,
    id: event.id,
    seq: event.seq,
    position: event.position,
    type: event.type,
    tenantId: event.tenantId,
    occurredAt: event.occurredAt,
    resource: { type: event.resourceType, id: event.resourceId },
    data,
  };
}

export interface FeedPage {
  readonly events: readonly JsonObject[];
  /** Where the next poll continues: the last event's cursor, or the cursor given when nothing is new. */
  readonly nextCursor: string;
  /** More events wait past this page: poll again at once. */
  readonly hasMore: boolean;
}

export interface FeedQuery {
  /** One tenant's events; absent for every tenant's (the global feed). */
  readonly tenantId?: string;
  /** A tenant's `seq`, or a global `position` (`p…`); absent for the beginning. */
  readonly after?: string;
  readonly limit?: number;
  /** Exact types or families (`user.*`). */
  readonly types?: readonly string[];
}

const MAX_LIMIT = 1000;
/** Event type names and families: `user.created`, `group.*`, `*`. */
const TYPE_PATTERN = /^(?:\*|[a-z]+\.(?:\*|[a-z_]+))$/;

/** The event feed, for products that poll instead of receiving webhooks. */
export class EventFeedService {
  constructor(private readonly store: Store) {}

  /**
   * Events after `after`, oldest first. With a tenant and a numeric cursor, the tenant's
   * outbox by `seq`; otherwise the global feed by `position`, every tenant's events or one's.
   */
  async list(query: FeedQuery): Promise<FeedPage> {
    const { tenantId, after } = query;
    if (tenantId !== undefined) {
      const tenant = await this.store.read.tenants.get(tenantId);
      if (tenant === undefined) throw new NotFound(`Tenant ${tenantId} does not exist.`);
    }
    const size = Math.min(Math.max(query.limit ?? 100, 1), MAX_LIMIT);
    const types = typesOf(query.types);
    if (tenantId !== undefined && (after === undefined || after === '' || /^\d+$/.test(after))) {
      return this.tenantPage(tenantId, after, size, types);
    }
    let rows: readonly EventRecord[];
    try {
      rows = await this.store.read.events.listGlobal({ after: after === undefined || after === '' ? null : after, limit: size + 1, tenantId, types });
    } catch (error) {
      if (error instanceof InvalidCursor) throw new Invalid('"after" must be a position from a previous page or event.');
      throw error;
    }
    // Checked after the read: a prune that committed before it has moved the horizon, and one
    // that commits after it removed nothing this page relies on.
    if (after !== undefined && after !== '' && (await this.store.read.retention.prunedAfter(after, tenantId))) throw expired();
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    const start = after === undefined || after === '' ? 'p0' : after;
    return { events: page.map(eventEnvelope), nextCursor: last?.position ?? start, hasMore: rows.length > size };
  }

  private async tenantPage(tenantId: string, after: string | undefined, size: number, types: readonly string[] | undefined): Promise<FeedPage> {
    const cursor = after === undefined || after === '' ? 0 : Number(after);
    if (!Number.isSafeInteger(cursor) || cursor < 0) throw new Invalid('"after" must be a cursor from a previous page (a whole number).');
    const rows = await this.store.read.events.list(tenantId, cursor, size + 1, types);
    if (after !== undefined && after !== '' && cursor < (await this.store.read.retention.prunedSeq(tenantId))) throw expired();
    const page = rows.slice(0, size);
    const last = page[page.length - 1];
    return { events: page.map(eventEnvelope), nextCursor: String(last?.seq ?? cursor), hasMore: rows.length > size };
  }
}

function expired(): FeedPositionExpired {
  return new FeedPositionExpired(
    'The position in "after" is older than the events Roster keeps: events after it were removed by retention, so continuing from it would skip them. Take a new snapshot (the read API\'s list pages carry a feed position) and follow the feed from there.',
  );
}

/** The type filter: repeated and comma-separated values, checked; undefined for every type. */
function typesOf(values: readonly string[] | undefined): readonly string[] | undefined {
  const types = (values ?? []).flatMap((value) => value.split(',')).map((type) => type.trim()).filter((type) => type !== '');
  for (const type of types) {
    if (!TYPE_PATTERN.test(type)) throw new Invalid(`"type" must name event types (user.created) or families (user.*); got "${type}".`);
  }
  return types.length === 0 || types.includes('*') ? undefined : types;
}
