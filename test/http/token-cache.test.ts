import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TokenCache, TOKEN_CACHE_MS } from '../../src/service/token-cache.js';
import { TokenService } from '../../src/service/tokens.js';
import { testEngines } from '../support/engines.js';
import { assertScimError, startServer, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`the token cache on ${engine.name}`, () => {
    let server: TestServer;
    before(async () => {
      server = await startServer(engine);
    });
    after(() => server.close());

    /** A GET with `token`, twice, so that the second answer comes from the cache if any. */
    async function usersWith(token: string, tenantId: string): Promise<number> {
      const path = `/scim/v2/${tenantId}/Users`;
      await server.request('GET', path, undefined, { authorization: `Bearer ${token}` });
      return (await server.request('GET', path, undefined, { authorization: `Bearer ${token}` })).status;
    }

    it('refuses a revoked token at once in the process that revoked it', async () => {
      const { tenantId, token } = await server.addTenant('Revoked at once');
      assert.equal(await usersWith(token, tenantId), 200);
      const [issued] = await server.services.tokens.list(tenantId);
      assert.ok(issued);
      await server.services.tokens.revoke(tenantId, issued.id);
      const response = await server.request('GET', `/scim/v2/${tenantId}/Users`, undefined, { authorization: `Bearer ${token}` });
      assertScimError(response, 401);
    });

    it("refuses a tenant's tokens at once in the process that disabled its SCIM", async () => {
      const { tenantId, token } = await server.addTenant('Disabled at once');
      assert.equal(await usersWith(token, tenantId), 200);
      await server.services.settings.update(tenantId, { scimEnabled: false });
      const response = await server.request('GET', `/scim/v2/${tenantId}/Users`, undefined, { authorization: `Bearer ${token}` });
      assertScimError(response, 401);
    });

    it(`refuses a token revoked by another process once ${TOKEN_CACHE_MS} ms have passed`, async () => {
      const { tenantId, token } = await server.addTenant('Revoked elsewhere');
      // Another process: its own token service and cache on the same database, with a clock of its own.
      let clock = 1_000_000;
      const elsewhere = new TokenService(server.store, new TokenCache(TOKEN_CACHE_MS, () => clock));
      assert.equal((await elsewhere.authenticate(token))?.tenant.id, tenantId);
      const [issued] = await server.services.tokens.list(tenantId);
      assert.ok(issued);
      await server.services.tokens.revoke(tenantId, issued.id);
      // Within the bound the other process may still accept it (that is the documented bound)…
      clock += TOKEN_CACHE_MS - 1;
      assert.equal((await elsewhere.authenticate(token))?.tenant.id, tenantId);
      // …and past it, never.
      clock += 2;
      assert.equal(await elsewhere.authenticate(token), undefined);
    });

    it(`refuses the tokens of a tenant whose SCIM another process disabled once ${TOKEN_CACHE_MS} ms have passed`, async () => {
      const { tenantId, token } = await server.addTenant('Disabled elsewhere');
      let clock = 1_000_000;
      const elsewhere = new TokenService(server.store, new TokenCache(TOKEN_CACHE_MS, () => clock));
      assert.ok(await elsewhere.authenticate(token));
      await server.services.settings.update(tenantId, { scimEnabled: false });
      clock += TOKEN_CACHE_MS + 1;
      const found = await elsewhere.authenticate(token);
      assert.ok(found === undefined || found.tenant.settings.scimEnabled === false, 'the token or its tenant says SCIM is off');
    });

    it("refuses a deleted tenant's tokens at once in the process that deleted it", async () => {
      const { tenantId, token } = await server.addTenant('Deleted at once');
      assert.equal(await usersWith(token, tenantId), 200);
      await server.services.tenants.delete(tenantId);
      const response = await server.request('GET', `/scim/v2/${tenantId}/Users`, undefined, { authorization: `Bearer ${token}` });
      assertScimError(response, 401);
    });

    it(`refuses the tokens of a tenant another process deleted once ${TOKEN_CACHE_MS} ms have passed`, async () => {
      const { tenantId, token } = await server.addTenant('Deleted elsewhere');
      let clock = 1_000_000;
      const elsewhere = new TokenService(server.store, new TokenCache(TOKEN_CACHE_MS, () => clock));
      assert.equal((await elsewhere.authenticate(token))?.tenant.id, tenantId);
      await server.services.tenants.delete(tenantId);
      clock += TOKEN_CACHE_MS - 1;
      assert.equal((await elsewhere.authenticate(token))?.tenant.id, tenantId, 'still cached within the bound');
      clock += 2;
      assert.equal(await elsewhere.authenticate(token), undefined);
    });

    it('does not keep what a lookup read before a revocation that committed while it ran', () => {
      const cache = new TokenCache(TOKEN_CACHE_MS, () => 0);
      const generation = cache.generation;
      cache.forgetTenant('t1');
      const tenant = { id: 't1', name: 'T', createdAt: '', settings: {} };
      const token = { tenantId: 't1', id: 'k1', name: 'k', createdAt: '', lastUsedAt: null, expiresAt: null, revokedAt: null };
      cache.set('hash', { tenant, token }, generation);
      assert.equal(cache.get('hash'), undefined);
      cache.set('hash', { tenant, token }, cache.generation);
      assert.ok(cache.get('hash'));
    });
  });
}
