import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Kysely, sql } from 'kysely';
import pg from 'pg';
import { RosterPostgresDialect } from '../../src/store/sql/postgres/postgres-migration-lock.js';
import { createPool } from '../../src/store/sql/postgres/postgres-pool.js';
import { createTestDatabase, postgresAvailable } from '../support/postgres.js';

const available = await postgresAvailable();

describe('the PostgreSQL pool as Kysely queries it', { skip: !available }, () => {
  let pool: ReturnType<typeof createPool>;
  let db: Kysely<unknown>;
  /** Whether each query pg's Client received came with a callback. */
  const callbacks: boolean[] = [];
  const prototype = pg.Client.prototype as unknown as { query: (this: pg.Client, ...args: unknown[]) => unknown };
  const original = prototype.query;

  before(async () => {
    pool = createPool({ connectionString: await createTestDatabase(), size: 1 });
    db = new Kysely<unknown>({ dialect: new RosterPostgresDialect({ pool }) });
    prototype.query = function (this: pg.Client, ...args: unknown[]) {
      callbacks.push(typeof args[2] === 'function');
      return original.apply(this, args);
    };
  });
  after(async () => {
    prototype.query = original;
    await db.destroy();
  });

  it('passes every query to pg with a callback (its promise form promotes garbage to the old generation)', async () => {
    callbacks.length = 0;
    const { rows } = await sql<{ n: number; t: string }>`select ${41}::int + 1 as n, ${'zoë'}::text as t`.execute(db);
    assert.deepEqual(rows, [{ n: 42, t: 'zoë' }]);
    await db.transaction().execute(async (tx) => {
      await sql`select 1`.execute(tx);
    });
    assert.ok(callbacks.length >= 4, 'the select, and begin, select, commit');
    assert.ok(callbacks.every(Boolean), 'no query used pg’s promise form');
  });

  it('rejects with pg’s own error, its SQLSTATE and fields kept', async () => {
    await assert.rejects(sql`select 1 / ${0}::int`.execute(db), (error: unknown) => {
      assert.ok(error instanceof Error);
      assert.equal((error as { code?: unknown }).code, '22012');
      return true;
    });
    // The connection is usable afterwards.
    const { rows } = await sql<{ ok: boolean }>`select true as ok`.execute(db);
    assert.deepEqual(rows, [{ ok: true }]);
  });

  it('hands Kysely the same client object for the same pg connection', async () => {
    const first = await pool.connect();
    first.release();
    const second = await pool.connect();
    second.release();
    assert.equal(first, second);
  });
});
