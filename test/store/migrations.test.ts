import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { testEngines } from '../support/engines.js';

for (const engine of testEngines()) {
  describe(`migrations on ${engine.name}`, () => {
    it('starts on a database that a newer build has already migrated further', async () => {
      const store = await engine.open();
      try {
        // What a newer build leaves behind: a migration this build does not know.
        const db = (store as unknown as { db: Kysely<unknown> }).db;
        await sql`insert into kysely_migration (name, timestamp) values (${'999-from-a-newer-build'}, ${new Date().toISOString()})`.execute(db);
        await store.migrate();
        const { rows } = await sql<{ name: string }>`select name from kysely_migration where name = ${'999-from-a-newer-build'}`.execute(db);
        assert.equal(rows.length, 1, 'the newer build\'s record is left alone');
        await store.ping();
      } finally {
        await store.close();
      }
    });

    it('is a no-op when run again', async () => {
      const store = await engine.open();
      try {
        await store.migrate();
        await store.migrate();
      } finally {
        await store.close();
      }
    });
  });
}
