import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, assertApiError, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';

for (const engine of testEngines()) {
  describe(`management API: token rotation on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    const issue = async (name: string): Promise<{ id: string; secret: string }> => {
      const issued = await api('POST', `/tenants/${server.tenantId}/tokens`, { name });
      assert.equal(issued.status, 201, JSON.stringify(issued.body));
      return { id: String(issued.body.id), secret: String(issued.body.token) };
    };
    const scimStatus = async (secret: string): Promise<number> => (await server.request('GET', '/Users', undefined, { authorization: `Bearer ${secret}` })).status;

    it('issues a new token under the same name and keeps the old one working until it is revoked', async () => {
      const old = await issue('okta');
      const rotated = await api('POST', `/tenants/${server.tenantId}/tokens/${old.id}/rotate`);
      assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
      assert.equal(rotated.body.name, 'okta');
      assert.notEqual(rotated.body.id, old.id);
      const secret = String(rotated.body.token);
      assert.match(secret, /^rst_/);
      assert.deepEqual({ ...(rotated.body.previous as object) }, { ...(rotated.body.previous as object), id: old.id, expiresAt: null, revokedAt: null });

      assert.equal(await scimStatus(secret), 200, 'the new token works');
      assert.equal(await scimStatus(old.secret), 200, 'and so does the old one, until revoked');
      const listed = await api('GET', `/tenants/${server.tenantId}/tokens`);
      assert.ok(!JSON.stringify(listed.body).includes(secret), 'the secret is shown once');

      assert.equal((await api('DELETE', `/tenants/${server.tenantId}/tokens/${old.id}`)).status, 204);
      assert.equal(await scimStatus(old.secret), 401);
      assert.equal(await scimStatus(secret), 200);
    });

    it('ends the old token after overlapHours when asked', async () => {
      const old = await issue('entra');
      const rotated = await api('POST', `/tenants/${server.tenantId}/tokens/${old.id}/rotate`, { overlapHours: 24 });
      assert.equal(rotated.status, 201, JSON.stringify(rotated.body));
      const previous = rotated.body.previous as { expiresAt: string };
      assert.equal(previous.expiresAt, new Date(Date.parse(String(rotated.body.createdAt)) + 24 * 3_600_000).toISOString());
      const listed = (await api('GET', `/tenants/${server.tenantId}/tokens`)).body.tokens as { id: string; expiresAt: string | null }[];
      assert.equal(listed.find((token) => token.id === old.id)?.expiresAt, previous.expiresAt, 'the expiry is stored');
      assert.equal(listed.find((token) => token.id === rotated.body.id)?.expiresAt, null, 'the new token does not expire');
      assert.equal(await scimStatus(old.secret), 200, 'the old token works during the overlap');

      // Once the overlap is over (moved into the past here), the old token stops working.
      await server.store.transaction((tx) => tx.tokens.expire(server.tenantId, old.id, new Date(Date.now() - 1000).toISOString()));
      // Written behind the service's back, as another process would: the token cache may hold
      // the row for its bound (1 s, docs/operations.md).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      assert.equal(await scimStatus(old.secret), 401);
    });

    it('answers 404 NOT_FOUND for a revoked, expired or unknown token, and 400 VALIDATION_FAILED for a bad overlap', async () => {
      const old = await issue('revoked');
      await api('DELETE', `/tenants/${server.tenantId}/tokens/${old.id}`);
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/${old.id}/rotate`), 'NOT_FOUND');
      const expired = await api('POST', `/tenants/${server.tenantId}/tokens`, { name: 'expired', expiresAt: '2020-01-01T00:00:00.000Z' });
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/${String(expired.body.id)}/rotate`), 'NOT_FOUND');
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/no-such-token/rotate`), 'NOT_FOUND');
      assertApiError(await api('POST', `/tenants/no-such-tenant/tokens/no-such-token/rotate`), 'NOT_FOUND');
      const live = await issue('live');
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/${live.id}/rotate`, { overlapHours: 0 }), 'VALIDATION_FAILED');
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/${live.id}/rotate`, { overlapHours: 721 }), 'VALIDATION_FAILED');
      assertApiError(await api('POST', `/tenants/${server.tenantId}/tokens/${live.id}/rotate`, { overlap: 2 }), 'VALIDATION_FAILED');
    });

    it('refuses with 409 SCIM_DISABLED while SCIM is off', async () => {
      const created = await api('POST', '/tenants', { name: 'Rotating' });
      const tenantId = String(created.body.id);
      const issued = await api('POST', `/tenants/${tenantId}/tokens`, { name: 'x' });
      await api('PATCH', `/tenants/${tenantId}`, { settings: { scimEnabled: false } });
      assertApiError(await api('POST', `/tenants/${tenantId}/tokens/${String(issued.body.id)}/rotate`), 'SCIM_DISABLED');
    });

    it('is in the OpenAPI document as rotateToken', async () => {
      const document = (await api('GET', '/openapi.json', undefined, '')).body as { paths: Record<string, { post?: { operationId?: string } }> };
      assert.equal(document.paths['/api/v1/tenants/{tenantId}/tokens/{tokenId}/rotate']?.post?.operationId, 'rotateToken');
    });
  });
}
