import { sql, type Kysely } from 'kysely';
import type { EventRecord } from '../../records.js';
import { MEMBERSHIP_EVENT_TYPES, type ErasureRecord, type PayloadReplacement, type PruneLimits, type RetentionStore } from '../../retention-store.js';
import type { Database } from '../database.js';
import type { DialectAdapter } from '../dialect-adapter.js';
import { decodeFeedPosition } from './feed-position.js';
import { toEventRecord } from './sql-event-store.js';

/** Event retention and erasure on a SQL engine (migration 019). */
export class SqlRetentionStore implements RetentionStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly adapter: DialectAdapter,
  ) {}

  async tenantsWithEvents(): Promise<readonly string[]> {
    const rows = await this.db.selectFrom('tenants').select('id').where('event_seq', '>', 0).orderBy('id').execute();
    return rows.map((row) => row.id);
  }

  async pruneBatch(tenantId: string, limits: PruneLimits): Promise<number> {
    // Cursors first, then pending deliveries: a fan-out that commits between the two reads
    // moves a cursor past events whose deliveries the second read then sees.
    const keepEnabled = await this.firstNeeded(tenantId, true);
    const keepPaused = await this.firstNeeded(tenantId, false);
    const rows = await this.db
      .selectFrom('events')
      .select(['seq', 'occurred_at', 'position_key'])
      .where('tenant_id', '=', tenantId)
      .orderBy('seq')
      .limit(limits.limit)
      .execute();
    let last: { seq: number; positionKey: number } | undefined;
    for (const row of rows) {
      const seq = Number(row.seq);
      const removable =
        row.occurred_at < limits.before && seq < keepEnabled && (seq < keepPaused || row.occurred_at < limits.pausedBefore);
      if (!removable) break;
      last = { seq, positionKey: Number(row.position_key) };
    }
    if (last === undefined) return 0;
    const removed = await this.db.deleteFrom('events').where('tenant_id', '=', tenantId).where('seq', '<=', last.seq).executeTakeFirst();
    await this.db.deleteFrom('webhook_deliveries').where('tenant_id', '=', tenantId).where('event_seq', '<=', last.seq).execute();
    // Never lowered: another process pruning the same tenant at once may have gone further.
    await this.db
      .insertInto('event_horizons')
      .values({ tenant_id: tenantId, seq: last.seq, position_key: last.positionKey })
      .onConflict((oc) =>
        oc.column('tenant_id').doUpdateSet({
          seq: sql<number>`case when excluded.seq > event_horizons.seq then excluded.seq else event_horizons.seq end`,
          position_key: sql<number>`case when excluded.seq > event_horizons.seq then excluded.position_key else event_horizons.position_key end`,
        }),
      )
      .execute();
    return Number(removed.numDeletedRows);
  }

  /**
   * The first seq that enabled (or paused) endpoints receiving the tenant's events still need:
   * the one after the lowest cursor (0 for a global endpoint that has no cursor for the tenant
   * yet), or the lowest pending delivery's; Infinity when none needs any.
   */
  private async firstNeeded(tenantId: string, enabled: boolean): Promise<number> {
    const flag = enabled ? 1 : 0;
    const cursor = await this.db
      .selectFrom('webhook_endpoints as w')
      .leftJoin('webhook_cursors as c', (join) => join.onRef('c.endpoint_id', '=', 'w.id').on('c.tenant_id', '=', tenantId))
      .select((eb) => eb.fn.min(eb.fn.coalesce('c.last_seq', sql.lit(0))).as('last_seq'))
      .where('w.enabled', '=', flag)
      .where((eb) => eb.or([eb('w.tenant_id', 'is', null), eb('w.tenant_id', '=', tenantId)]))
      .executeTakeFirst();
    const pending = await this.db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('webhook_endpoints as w', 'w.id', 'd.endpoint_id')
      .select((eb) => eb.fn.min('d.event_seq').as('event_seq'))
      .where('d.tenant_id', '=', tenantId)
      .where('d.state', '=', 'pending')
      .where('w.enabled', '=', flag)
      .executeTakeFirst();
    const afterCursor = cursor?.last_seq === null || cursor?.last_seq === undefined ? Infinity : Number(cursor.last_seq) + 1;
    const firstPending = pending?.event_seq === null || pending?.event_seq === undefined ? Infinity : Number(pending.event_seq);
    return Math.min(afterCursor, firstPending);
  }

  async prunedSeq(tenantId: string): Promise<number> {
    const row = await this.db.selectFrom('event_horizons').select('seq').where('tenant_id', '=', tenantId).executeTakeFirst();
    return Number(row?.seq ?? 0);
  }

  async prunedAfter(position: string, tenantId?: string): Promise<boolean> {
    const { key, after } = decodeFeedPosition(position);
    let query = this.db
      .selectFrom('event_horizons')
      .select('tenant_id')
      .where((eb) =>
        after === undefined
          ? eb('position_key', '>', key)
          : eb.or([
              eb('position_key', '>', key),
              eb.and([
                eb('position_key', '=', key),
                eb.or([eb('tenant_id', '>', after.tenantId), eb.and([eb('tenant_id', '=', after.tenantId), eb('seq', '>', after.seq)])]),
              ]),
            ]),
      );
    if (tenantId !== undefined) query = query.where('tenant_id', '=', tenantId);
    return (await query.limit(1).executeTakeFirst()) !== undefined;
  }

  async eventsOf(tenantId: string, resourceId: string): Promise<readonly EventRecord[]> {
    const rows = await this.db.selectFrom('events').selectAll().where('tenant_id', '=', tenantId).where('resource_id', '=', resourceId).orderBy('seq').execute();
    return rows.map(toEventRecord);
  }

  async personalEventsAfter(tenantId: string, afterSeq: number, upToSeq: number, limit: number): Promise<readonly EventRecord[]> {
    const rows = await this.db
      .selectFrom('events')
      .selectAll()
      .where('tenant_id', '=', tenantId)
      .where('seq', '>', afterSeq)
      .where('seq', '<=', upToSeq)
      .where((eb) => eb.or([eb('resource_type', '=', 'User'), eb('type', 'in', [...MEMBERSHIP_EVENT_TYPES])]))
      .orderBy('seq')
      .limit(limit)
      .execute();
    return rows.map(toEventRecord);
  }

  async replacePayloads(tenantId: string, replacements: readonly PayloadReplacement[]): Promise<void> {
    for (const { seq, payload } of replacements) {
      await this.db.updateTable('events').set({ payload: JSON.stringify(payload) }).where('tenant_id', '=', tenantId).where('seq', '=', seq).execute();
    }
  }

  async addErasure(tenantId: string, id: string, at: string, terms?: readonly string[]): Promise<void> {
    const tenant = await this.db.selectFrom('tenants').select('event_seq').where('id', '=', tenantId).executeTakeFirstOrThrow();
    await this.db
      .insertInto('erasures')
      .values({
        tenant_id: tenantId,
        id,
        created_at: at,
        up_to_seq: Number(tenant.event_seq),
        terms: terms === undefined ? null : JSON.stringify(terms),
        event_seq: 0,
        log_started_at: '',
        log_id: '',
      })
      .execute();
  }

  async nextErasure(recordedBy: string): Promise<ErasureRecord | undefined> {
    // Locked until the batch commits; another process doing erasures takes the next one.
    const next = this.db.selectFrom('erasures').selectAll().where('created_at', '<=', recordedBy).orderBy('created_at').orderBy('id').limit(1);
    const row = await this.adapter.skipLocked(next).executeTakeFirst();
    if (row === undefined) return undefined;
    return {
      tenantId: row.tenant_id,
      id: row.id,
      upToSeq: Number(row.up_to_seq),
      createdAt: row.created_at,
      terms: row.terms === null ? undefined : (JSON.parse(row.terms) as string[]),
      eventSeq: Number(row.event_seq),
      logAfter: row.log_started_at === '' ? undefined : { startedAt: row.log_started_at, id: row.log_id },
    };
  }

  async saveErasure(erasure: ErasureRecord): Promise<void> {
    await this.db
      .updateTable('erasures')
      .set({ event_seq: erasure.eventSeq, log_started_at: erasure.logAfter?.startedAt ?? '', log_id: erasure.logAfter?.id ?? '' })
      .where('tenant_id', '=', erasure.tenantId)
      .where('id', '=', erasure.id)
      .execute();
  }

  async removeErasure(tenantId: string, id: string): Promise<void> {
    await this.db.deleteFrom('erasures').where('tenant_id', '=', tenantId).where('id', '=', id).execute();
  }
}
