// The global feed on PostgreSQL with two stores (two connection pools, as two processes have)
// on one database: transactions commit out of order, and a reader following the feed must
// never pass an event that commits later. docs/events.md, "The global feed", says why it holds.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import type { EventRecord } from '../../src/store/records.js';
import type { Store } from '../../src/store/store.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';

const postgres = testEngines().some((engine) => engine.name === 'postgres');

describe('the global feed across processes (PostgreSQL)', { skip: !postgres && 'PostgreSQL is not reachable' }, () => {
  let url: string;
  let first: Store;
  let second: Store;
  let raw: pg.Client;

  before(async () => {
    url = await createTestDatabase();
    first = openPostgresStore({ connectionString: url, poolSize: 4 });
    second = openPostgresStore({ connectionString: url, poolSize: 4 });
    await first.migrate();
    raw = new pg.Client({ connectionString: url });
    await raw.connect();
  });
  after(async () => {
    await raw.end();
    await first.close();
    await second.close();
  });

  async function newTenant(store: Store): Promise<string> {
    const id = randomUUID();
    await store.transaction((tx) => tx.tenants.insert({ id, name: id, createdAt: new Date().toISOString(), settings: {} }));
    return id;
  }

  function event(): { type: string; resourceType: 'User'; resourceId: string; payload: Record<string, never> } {
    return { type: 'user.updated', resourceType: 'User', resourceId: randomUUID(), payload: {} };
  }

  /** Reads the feed from `position` to its current end. */
  async function readOn(position: string | null): Promise<{ events: EventRecord[]; position: string | null }> {
    const events: EventRecord[] = [];
    let cursor = position;
    for (;;) {
      const page = await first.read.events.listGlobal({ after: cursor, limit: 50 });
      events.push(...page);
      cursor = page[page.length - 1]?.position ?? cursor;
      if (page.length < 50) return { events, position: cursor };
    }
  }

  /**
   * The same read without the horizon, in the same order: what a counter or a plain
   * "ORDER BY position" would give. Returns (tenant, seq, key) of the rows after the given one.
   */
  async function readWithoutHorizon(after: { key: string; tenant: string; seq: string }): Promise<{ tenant_id: string; seq: string; position_key: string }[]> {
    const { rows } = await raw.query<{ tenant_id: string; seq: string; position_key: string }>(
      `select tenant_id, seq, position_key from events where (position_key, tenant_id, seq) > ($1::bigint, $2::text, $3::bigint)
       order by position_key, tenant_id, seq`,
      [after.key, after.tenant, after.seq],
    );
    return rows;
  }

  test('a transaction that started first but commits last is not passed over', async () => {
    const [early, late] = [await newTenant(first), await newTenant(second)];
    const start = (await readOn(null)).position;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appended!: () => void;
    const hasXid = new Promise<void>((resolve) => (appended = resolve));
    // The first process's transaction takes its id (and its key) first, then waits.
    const slow = first.transaction(async (tx) => {
      await tx.events.append(early, [event()], new Date().toISOString());
      // Appended events wait for commit; a read in the transaction writes them now, so
      // that this transaction takes its id and key before the second one.
      await tx.events.lastSeq(early);
      appended();
      await gate;
    });
    await hasXid;
    // The second process's transaction has a later id and commits first.
    await second.transaction((tx) => tx.events.append(late, [event()], new Date().toISOString()));

    const meanwhile = await readOn(start);
    assert.deepEqual(meanwhile.events, [], 'the later event waits behind the running transaction (the horizon)');
    // Without the horizon a reader takes the later event now and moves its position past it.
    const { rows: base } = await raw.query<{ key: string }>('select coalesce(max(position_key), 0)::text as key from events where tenant_id not in ($1, $2)', [early, late]);
    const naive = await readWithoutHorizon({ key: base[0]?.key ?? '0', tenant: '', seq: '0' });
    assert.deepEqual(naive.map((row) => row.tenant_id), [late]);
    const naivePosition = naive[0];
    assert.ok(naivePosition !== undefined);

    release();
    await slow;
    const afterwards = await readOn(meanwhile.position);
    assert.deepEqual(afterwards.events.map((e) => e.tenantId), [early, late], 'both, the earlier transaction\'s first');
    const missed = await readWithoutHorizon({ key: naivePosition.position_key, tenant: naivePosition.tenant_id, seq: naivePosition.seq });
    assert.deepEqual(missed, [], 'the reader without the horizon never sees the early event: it was skipped');
  });

  test('a reader following the feed while two processes write gets every event once, per tenant in order', async () => {
    const tenants = [await newTenant(first), await newTenant(first), await newTenant(second)];
    const { position: start } = await readOn(null);
    const perWriter = 40;
    let writing = true;
    const writer = async (store: Store, offset: number): Promise<void> => {
      for (let index = 0; index < perWriter; index += 1) {
        const tenant = tenants[(index + offset) % tenants.length] ?? '';
        await store.transaction(async (tx) => {
          await tx.events.append(tenant, index % 3 === 0 ? [event(), event()] : [event()], new Date().toISOString());
          // Hold some transactions open across the other writer's commits.
          if (index % 4 === offset % 4) await new Promise((resolve) => setTimeout(resolve, 3));
        });
      }
    };
    const seen: EventRecord[] = [];
    const follower = (async () => {
      let position = start;
      while (writing) {
        const page = await readOn(position);
        seen.push(...page.events);
        position = page.position;
        await new Promise((resolve) => setImmediate(resolve));
      }
      // Writers are done: read to the end.
      seen.push(...(await readOn(position)).events);
    })();
    await Promise.all([writer(first, 0), writer(second, 1), writer(first, 2), writer(second, 3)]);
    writing = false;
    await follower;

    for (const tenant of tenants) {
      const all = await first.read.events.list(tenant, 0, 10_000);
      const followed = seen.filter((e) => e.tenantId === tenant);
      assert.deepEqual(followed.map((e) => e.seq), all.map((e) => e.seq), 'every event of the tenant, once, in seq order');
    }
    assert.equal(seen.length, new Set(seen.map((e) => e.id)).size);
  });
});
