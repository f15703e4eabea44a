import { sql, type Kysely } from 'kysely';
import type { RosterMigration } from './types.js';

/**
 * PostgreSQL numbers a transaction's last events as it commits (docs/events.md, "Numbering at
 * commit"): the write inserts one row per tenant into `event_commit_queue`, whose deferred
 * constraint trigger runs inside COMMIT. It takes the tenant's row lock with the same UPDATE
 * `reserveEvents` runs (the same `event_position` rule), inserts the numbered events and
 * deletes the queued row, so the lock is held from there to the end of the commit only.
 *
 * The table is UNLOGGED: no row outlives its transaction, so nothing in it needs the WAL or
 * survives a crash. Each row has a random `id`, indexed (not unique: nothing to check
 * against other writers), so that the trigger deletes it without scanning the table, whose
 * dead rows pile up between vacuums (a scan of them took a millisecond, under the lock, after
 * a few thousand writes). `events` holds `[id, type, resource_type, resource_id,
 * occurred_at, payload]` arrays, in the order they were appended.
 * SQLite numbers events in the transaction as before (one writer): nothing to add there.
 */
export const eventsNumberedAtCommit: RosterMigration = {
  name: '026-events-numbered-at-commit',
  async up(db: Kysely<unknown>, { jsonType }): Promise<void> {
    if (jsonType !== 'jsonb') return;
    await sql`create unlogged table event_commit_queue (id text not null, tenant_id text not null, events jsonb not null)`.execute(db);
    await sql`create index event_commit_queue_id on event_commit_queue (id)`.execute(db);
    // enable_seqscan off: the plan of the DELETE is cached per session, and one made while
    // the table was a page or two would keep scanning it after it had grown.
    await sql`create function number_queued_events() returns trigger language plpgsql set enable_seqscan = off as $body$
      declare
        queued integer := jsonb_array_length(new.events);
        last_seq bigint;
        feed_key bigint;
      begin
        update tenants set event_seq = event_seq + queued, event_position = greatest(event_position, pg_current_xact_id()::text::bigint)
          where id = new.tenant_id returning event_seq, event_position into last_seq, feed_key;
        if not found then
          raise exception 'no tenant % for the queued events', new.tenant_id using errcode = 'foreign_key_violation';
        end if;
        insert into events (tenant_id, seq, id, type, resource_type, resource_id, occurred_at, payload, position_key)
          select new.tenant_id, last_seq - queued + e.n, e.v->>0, e.v->>1, e.v->>2, e.v->>3, e.v->>4, e.v->5, feed_key
            from jsonb_array_elements(new.events) with ordinality as e(v, n);
        delete from event_commit_queue where id = new.id;
        return null;
      end
    $body$`.execute(db);
    await sql`create constraint trigger number_queued_events after insert on event_commit_queue
      deferrable initially deferred for each row execute function number_queued_events()`.execute(db);
  },
  async down(db: Kysely<unknown>, { jsonType }): Promise<void> {
    if (jsonType !== 'jsonb') return;
    await sql`drop table if exists event_commit_queue`.execute(db);
    await sql`drop function if exists number_queued_events()`.execute(db);
  },
};
