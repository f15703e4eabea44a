import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../src/store/sql/sqlite/sqlite-store.js';
import { tempDataDir } from '../support/cli.js';
import { createTenant } from './fixtures.js';

const COMMITS = 3000;
const MB = 1024 * 1024;

function walBytes(filename: string): number {
  return existsSync(`${filename}-wal`) ? statSync(`${filename}-wal`).size : 0;
}

/**
 * Checkpoints run on a worker thread (sqlite-checkpointer.ts) and the main connection's own
 * checkpoint waits for 40 MB of WAL: if the worker did not run, the WAL would keep every page
 * of every commit here (over 20 MB); run, it starts again after each checkpoint.
 */
describe('SQLite checkpoints on a worker thread', () => {
  it('keeps the WAL small under a stream of commits, and loses nothing', async () => {
    const filename = join(tempDataDir(), 'roster.db');
    const store = openSqliteStore({ filename, checkpoints: { everyCommits: 50, intervalMs: 20 } });
    await store.migrate();
    let largest = 0;
    for (let index = 0; index < COMMITS; index += 1) {
      await createTenant(store);
      // Now and then a pause between requests, in which a checkpoint can catch up with the
      // end of the WAL so that the next commit starts it again from the beginning.
      if (index % 100 === 99) await new Promise((resolve) => setTimeout(resolve, 30));
      largest = Math.max(largest, walBytes(filename));
    }
    await store.close();
    // Far below the 20 MB and more of a WAL no worker checkpoints, with room for a loaded
    // machine on which the worker thread runs late now and then.
    assert.ok(largest < 10 * MB, `the WAL grew to ${(largest / MB).toFixed(1)} MB`);
    const db = new Database(filename, { readonly: true });
    try {
      assert.equal((db.prepare('select count(*) as n from tenants').get() as { n: number }).n, COMMITS);
    } finally {
      db.close();
    }
  });

  it('closes with its worker (no checkpoint left running, the WAL folded in)', async () => {
    const filename = join(tempDataDir(), 'roster.db');
    const store = openSqliteStore({ filename });
    await store.migrate();
    await createTenant(store);
    await store.close();
    assert.equal(walBytes(filename), 0);
  });
});
