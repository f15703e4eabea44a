import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { API_ERROR_CODES } from '../../src/service/errors.js';
import { DEFAULT_SETTINGS } from '../../src/policy/settings-schema.js';
import { adminClient, assertApiError, type AdminApi } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, type TestServer } from '../support/scim-client.js';

describe('the API error catalogue', () => {
  it('lists every code in docs/api-errors.md with its status', () => {
    const doc = readFileSync(new URL('../../docs/api-errors.md', import.meta.url), 'utf8');
    for (const [code, { status }] of Object.entries(API_ERROR_CODES)) {
      assert.match(doc, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `docs/api-errors.md documents ${code}`);
    }
    const documented = [...doc.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((match) => match[1]);
    assert.deepEqual(documented.sort(), Object.keys(API_ERROR_CODES).sort(), 'and nothing else');
  });
});

for (const engine of testEngines()) {
  describe(`management API: tenants and tokens on ${engine.name}`, () => {
    let server: TestServer;
    let api: AdminApi;
    before(async () => {
      server = await startServer(engine);
      api = await adminClient(server);
    });
    after(() => server.close());

    it('answers 401 UNAUTHORIZED without a valid operator key, and to a SCIM token', async () => {
      assertApiError(await api('GET', '/tenants', undefined, ''), 'UNAUTHORIZED');
      assertApiError(await api('GET', '/tenants', undefined, 'rok_wrong'), 'UNAUTHORIZED');
      assertApiError(await api('GET', '/tenants', undefined, server.token), 'UNAUTHORIZED');
    });

    it('stops a revoked operator key', async () => {
      const { key, secret } = await server.services.operatorKeys.create('short-lived');
      assert.equal((await api('GET', '/tenants', undefined, secret)).status, 200);
      await server.services.operatorKeys.revoke(key.id);
      assertApiError(await api('GET', '/tenants', undefined, secret), 'UNAUTHORIZED');
    });

    it('creates, reads, lists and renames tenants', async () => {
      const created = await api('POST', '/tenants', { name: 'Globex' });
      assert.equal(created.status, 201);
      const id = String(created.body.id);
      assert.equal(created.body.scimBaseUrl, `https://roster.test/scim/v2/${id}`);
      assert.deepEqual(created.body.settings, DEFAULT_SETTINGS, 'every setting at its default (docs/policies.md)');
      assert.equal((await api('GET', `/tenants/${id}`)).body.name, 'Globex');
      const listed = await api('GET', '/tenants');
      assert.ok((listed.body.tenants as { id: string }[]).some((tenant) => tenant.id === id));
      const renamed = await api('PATCH', `/tenants/${id}`, { name: 'Globex Corp' });
      assert.equal(renamed.body.name, 'Globex Corp');
    });

    it('validates bodies with 400 VALIDATION_FAILED and reports unknown tenants with 404 NOT_FOUND', async () => {
      assertApiError(await api('POST', '/tenants', { name: '' }), 'VALIDATION_FAILED');
      assertApiError(await api('POST', '/tenants', { name: 'x', colour: 'red' }), 'VALIDATION_FAILED');
      assertApiError(await api('POST', '/tenants', { name: '   ' }), 'INVALID');
      assertApiError(await api('GET', '/tenants/no-such-tenant'), 'NOT_FOUND');
      assertApiError(await api('GET', '/no-such-endpoint'), 'NOT_FOUND');
    });

    it('issues a token whose secret works on SCIM, lists it without the secret, and revokes it', async () => {
      const issued = await api('POST', `/tenants/${server.tenantId}/tokens`, { name: 'entra' });
      assert.equal(issued.status, 201);
      const secret = String(issued.body.token);
      const scim = await server.request('GET', '/Users', undefined, { authorization: `Bearer ${secret}` });
      assert.equal(scim.status, 200);
      const listed = await api('GET', `/tenants/${server.tenantId}/tokens`);
      assert.ok(!JSON.stringify(listed.body).includes(secret));
      assert.ok((listed.body.tokens as { name: string }[]).some((token) => token.name === 'entra'));
      assert.equal((await api('DELETE', `/tenants/${server.tenantId}/tokens/${String(issued.body.id)}`)).status, 204);
      assert.equal((await server.request('GET', '/Users', undefined, { authorization: `Bearer ${secret}` })).status, 401);
      assertApiError(await api('DELETE', `/tenants/${server.tenantId}/tokens/${String(issued.body.id)}`), 'NOT_FOUND');
      assertApiError(await api('POST', '/tenants/no-such-tenant/tokens', { name: 'x' }), 'NOT_FOUND');
    });

    it('serves an OpenAPI document of the management API only', async () => {
      const response = await api('GET', '/openapi.json', undefined, '');
      assert.equal(response.status, 200);
      assert.match(String(response.body.openapi), /^3\./);
      const paths = Object.keys(response.body.paths as Record<string, unknown>);
      assert.ok(paths.includes('/api/v1/tenants'));
      assert.ok(paths.includes('/api/v1/tenants/{tenantId}/tokens'));
      assert.ok(!paths.some((path) => path.startsWith('/scim')), 'SCIM routes are not in it');
    });
  });
}
