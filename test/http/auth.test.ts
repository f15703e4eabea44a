import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { testEngines } from '../support/engines.js';
import { assertScimError, startServer, userBody, type ScimResponse, type TestServer } from '../support/scim-client.js';

/** Every SCIM endpoint and method Roster serves, with a body where one is needed. */
function endpointsOf(userId: string, groupId: string): readonly [string, string, unknown?][] {
  return [
    ['GET', '/Users'],
    ['POST', '/Users', userBody('intruder@example.com')],
    ['GET', `/Users/${userId}`],
    ['PUT', `/Users/${userId}`, userBody('intruder@example.com')],
    ['DELETE', `/Users/${userId}`],
    ['GET', '/Groups'],
    ['POST', '/Groups', { displayName: 'Intruders' }],
    ['GET', `/Groups/${groupId}`],
    ['PUT', `/Groups/${groupId}`, { displayName: 'Intruders' }],
    ['DELETE', `/Groups/${groupId}`],
    ['GET', '/ServiceProviderConfig'],
    ['GET', '/ResourceTypes'],
    ['GET', '/ResourceTypes/User'],
    ['GET', '/Schemas'],
    ['GET', '/Schemas/urn:ietf:params:scim:schemas:core:2.0:User'],
    ['GET', '/Me'],
  ];
}

function assertUnauthorized(response: ScimResponse, label: string): void {
  assert.equal(response.status, 401, `${label}: ${response.text}`);
  assertScimError(response, 401);
  assert.match(String(response.headers['www-authenticate']), /^Bearer/);
}

for (const engine of testEngines()) {
  describe(`authentication and tenant isolation on ${engine.name}`, () => {
    let server: TestServer;
    let other: { tenantId: string; token: string };
    let userId: string;
    let groupId: string;
    before(async () => {
      server = await startServer(engine);
      other = await server.addTenant('Other');
      userId = String((await server.request('POST', '/Users', userBody('owner@example.com'))).body.id);
      groupId = String((await server.request('POST', '/Groups', { displayName: 'Owners', members: [{ value: userId }] })).body.id);
    });
    after(() => server.close());

    it('answers 401 on every endpoint of tenant B to a token of tenant A', async () => {
      for (const [method, path, body] of endpointsOf(userId, groupId)) {
        const response = await server.request(method, `${server.base}${path}`, body, { authorization: `Bearer ${other.token}` });
        assertUnauthorized(response, `${method} ${path}`);
      }
      // Nothing was changed by the refused requests.
      assert.equal((await server.request('GET', `/Users/${userId}`)).status, 200);
      assert.equal((await server.request('GET', `/Groups/${groupId}`)).status, 200);
    });

    it('never resolves one tenant\'s ids through another tenant\'s token on the token-only base URL', async () => {
      const auth = { authorization: `Bearer ${other.token}` };
      for (const [method, path, body] of endpointsOf(userId, groupId)) {
        if (!path.includes(userId) && !path.includes(groupId)) continue;
        const response = await server.request(method, `/scim/v2${path}`, body, auth);
        assertScimError(response, 404);
      }
      const listed = await server.request('GET', '/scim/v2/Users', undefined, auth);
      assert.equal(listed.body.totalResults, 0);
    });

    it('serves a tenant on the token-only base URL /scim/v2', async () => {
      const response = await server.request('GET', `/scim/v2/Users/${userId}`);
      assert.equal(response.status, 200);
      assert.equal((response.body.meta as Record<string, unknown>).location, `https://roster.test/scim/v2/Users/${userId}`);
    });

    it('answers 401 without a token, with a malformed header, and with an unknown token, on every endpoint', async () => {
      for (const [method, path, body] of endpointsOf(userId, groupId)) {
        for (const authorization of [undefined, 'Basic dXNlcjpwYXNz', 'Bearer', 'Bearer rst_unknown-token-value']) {
          for (const base of [server.base, '/scim/v2']) {
            const response = await server.app.inject({
              method: method as 'GET',
              url: `${base}${path}`,
              headers: { ...(authorization === undefined ? {} : { authorization }), 'content-type': 'application/scim+json' },
              ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
            });
            assertUnauthorized({ status: response.statusCode, headers: response.headers, body: JSON.parse(response.body) as Record<string, unknown>, text: response.body }, `${method} ${base}${path} with ${String(authorization)}`);
          }
        }
      }
    });

    it('gives the same 401 for a tenant that does not exist as for one that does', async () => {
      const missing = await server.request('GET', '/scim/v2/00000000-0000-4000-8000-000000000000/Users', undefined, { authorization: `Bearer ${other.token}` });
      const existing = await server.request('GET', `/scim/v2/${server.tenantId}/Users`, undefined, { authorization: `Bearer ${other.token}` });
      assert.equal(missing.status, 401);
      assert.deepEqual(missing.body, existing.body);
    });

    it('stops a revoked token at once while another token of the tenant keeps working', async () => {
      const first = await server.services.tokens.issue(server.tenantId, { name: 'old' });
      const second = await server.services.tokens.issue(server.tenantId, { name: 'new' });
      const call = (token: string) => server.request('GET', '/Users', undefined, { authorization: `Bearer ${token}` });
      assert.equal((await call(first.secret)).status, 200);
      assert.equal((await call(second.secret)).status, 200, 'a rotation overlaps: both work');
      await server.services.tokens.revoke(server.tenantId, first.token.id);
      assertUnauthorized(await call(first.secret), 'revoked');
      assert.equal((await call(second.secret)).status, 200);
    });

    it('refuses an expired token', async () => {
      const expired = await server.services.tokens.issue(server.tenantId, { name: 'expired', expiresAt: new Date(Date.now() - 1000).toISOString() });
      assertUnauthorized(await server.request('GET', '/Users', undefined, { authorization: `Bearer ${expired.secret}` }), 'expired');
    });

    it('stores only a hash of each token and records when it was used', async () => {
      const issued = await server.services.tokens.issue(server.tenantId, { name: 'hashed' });
      await server.request('GET', '/Users', undefined, { authorization: `Bearer ${issued.secret}` });
      const tokens = await server.services.tokens.list(server.tenantId);
      const stored = tokens.find((token) => token.id === issued.token.id);
      assert.ok(stored?.lastUsedAt !== null && stored?.lastUsedAt !== undefined);
      assert.ok(!JSON.stringify(tokens).includes(issued.secret));
      assert.match(issued.secret, /^rst_[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
    });
  });
}
