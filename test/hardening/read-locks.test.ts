// A SCIM read on PostgreSQL takes no row lock and writes nothing that a writer's locks could
// make it wait for: rate counters are counted in memory and written in batches.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { buildApp } from '../../src/http/app.js';
import { createServices } from '../../src/service/services.js';
import { openPostgresStore } from '../../src/store/sql/postgres/postgres-store.js';
import type { PostgresRateCounterStore } from '../../src/store/sql/postgres/postgres-rate-counters.js';
import { testEngines } from '../support/engines.js';
import { createTestDatabase } from '../support/postgres.js';
import { userBody } from '../support/scim-client.js';

const postgres = testEngines().some((engine) => engine.name === 'postgres');

describe('PostgreSQL reads while another transaction holds row locks', { skip: postgres ? false : 'PostgreSQL is not available' }, () => {
  // A read that queued on a lock would never answer: the timeout turns that into a failure.
  it('answer without waiting, and no lock request waits', { timeout: 30_000 }, async () => {
    const databaseUrl = await createTestDatabase();
    const store = openPostgresStore({ connectionString: databaseUrl, poolSize: 3 });
    await store.migrate();
    const services = createServices(store);
    const app = await buildApp({ services, rateLimit: { windowSeconds: 60, perToken: 1000, perTenant: 1000 } });
    const locker = new pg.Client({ connectionString: databaseUrl });
    await locker.connect();
    try {
      const tenant = await services.tenants.create('Locked');
      const { secret } = await services.tokens.issue(tenant.id, { name: 'idp' });
      const headers = { authorization: `Bearer ${secret}`, 'content-type': 'application/scim+json' };
      const created = await app.inject({ method: 'POST', url: `/scim/v2/${tenant.id}/Users`, headers, payload: JSON.stringify(userBody('locked@example.com')) });
      assert.equal(created.statusCode, 201);
      const id = String((JSON.parse(created.body) as { id: string }).id);
      // The rate counters' rows exist once flushed; the token's once-a-minute "last used" write is done.
      await (store.rateCounters as PostgresRateCounterStore).flush();
      // Every row a write could lock: the tenant (its event sequence), its token, its users, the counters.
      await locker.query('begin');
      for (const table of ['tenants', 'api_tokens', 'users', 'rate_limits']) {
        const locked = await locker.query(`select 1 from ${table} for update`);
        assert.ok(locked.rowCount !== null && locked.rowCount > 0, table);
      }
      const urls = [`/scim/v2/${tenant.id}/Users/${id}`, `/scim/v2/${tenant.id}/Users?filter=${encodeURIComponent('userName eq "locked@example.com"')}`];
      for (let round = 0; round < 10; round += 1) {
        for (const url of urls) assert.equal((await app.inject({ method: 'GET', url, headers: { authorization: headers.authorization } })).statusCode, 200, url);
      }
      const waiting = await locker.query<{ count: string }>('select count(*) from pg_locks where not granted and database = (select oid from pg_database where datname = current_database())');
      assert.equal(Number(waiting.rows[0]?.count), 0);
    } finally {
      await locker.query('rollback').catch(() => undefined);
      await locker.end();
      await app.close();
      await store.close();
    }
  });
});
