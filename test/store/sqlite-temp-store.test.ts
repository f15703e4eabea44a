import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import { tempDataDir } from '../support/cli.js';

/** SQLite's `temp_store`: 0 is the default (temporary files), 2 is MEMORY. */
async function tempStore(db: Kysely<unknown>): Promise<number> {
  const { rows } = await sql<{ temp_store: number }>`pragma temp_store`.execute(db);
  return Number(rows[0]?.temp_store);
}

describe('SQLite temporary storage', () => {
  it('is in memory during a write transaction and in files outside one, snapshots included', async () => {
    const store = openSqliteStore({ filename: join(tempDataDir(), 'roster.db') });
    try {
      await store.migrate();
      const db = (store as unknown as { db: Kysely<unknown> }).db;
      assert.equal(await tempStore(db), 0, 'a read outside a transaction sorts through files');
      // Inside, on the transaction's own connection (the store holds it as `db`).
      const inside = await store.transaction(async (session) => tempStore((session.users as unknown as { db: Kysely<unknown> }).db));
      assert.equal(inside, 2, "a write's savepoint copies stay in memory");
      assert.equal(await tempStore(db), 0, 'back to files once the transaction has ended');
      await store.transaction(() => Promise.resolve());
      const reading = await store.snapshot((session) => tempStore((session.users as unknown as { db: Kysely<unknown> }).db));
      assert.equal(reading, 0, "a snapshot's reads (the directory's lists) sort through files");
      await assert.rejects(
        store.transaction(() => Promise.reject(new Error('undone'))),
        /undone/,
      );
      assert.equal(await tempStore(db), 0, 'and after a transaction rolled back');
    } finally {
      await store.close();
    }
  });
});
