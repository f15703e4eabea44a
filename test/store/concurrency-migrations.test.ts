// Several processes starting at once on an empty PostgreSQL database each run the
// migrations: the migration lock must let exactly one apply them and leave nothing held.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { migrations } from '../../src/store/sql/migrations/index.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';

const postgres = testEngines().some((engine) => engine.name === 'postgres');

describe('migrations on PostgreSQL from many stores at once', { skip: postgres ? false : 'PostgreSQL is not available' }, () => {
  it('apply each migration once, fail none, and leave no advisory lock behind', { timeout: 60_000 }, async () => {
    const url = await createTestDatabase();
    // Separate stores have separate pools: like separate processes, they share only the database.
    const stores = Array.from({ length: 6 }, () => openPostgresStore({ connectionString: url, poolSize: 2 }));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await Promise.all(stores.map((store) => store.migrate()));
      await Promise.all(stores.map((store) => store.migrate()));
      const applied = await client.query<{ name: string }>('select name from kysely_migration order by name');
      assert.deepEqual(
        applied.rows.map((row) => row.name),
        migrations.map((migration) => migration.name),
      );
      // Checked while the stores' pooled connections are still open: a session-level lock
      // left on one of them would show here.
      const locks = await client.query<{ count: string }>(
        "select count(*)::text as count from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
      );
      assert.equal(locks.rows[0]?.count, '0');
    } finally {
      await client.end();
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
