import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adminClient, assertApiError } from '../support/admin-client.js';
import { testEngines } from '../support/engines.js';
import { startServer, userBody, type TestServer } from '../support/scim-client.js';
import { newTenant, patchOp, type Admin, type PolicyTenant } from './policy-client.js';

const ACME = 'urn:ietf:params:scim:schemas:extension:acme:2.0:User';

interface Undeclared {
  path: string;
  count: number;
  lastUserId: string | null;
}

async function undeclared(tenant: PolicyTenant): Promise<Undeclared[]> {
  const response = await tenant.api('GET', '/undeclared-attributes');
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body.attributes as Undeclared[];
}

for (const engine of testEngines()) {
  describe(`undeclared attributes and the IdP choice on ${engine.name}`, () => {
    let server: TestServer;
    let admin: Admin;
    before(async () => {
      server = await startServer(engine);
      admin = await adminClient(server);
    });
    after(() => server.close());

    it('lists the attributes IdPs send that nobody declared, with how often, until they are declared', async () => {
      const tenant = await newTenant(server, admin);
      const ada = await tenant.createUser('ada@example.com', { favouriteColour: 'blue', [ACME]: { costCenter: '42' } });
      const bob = await tenant.createUser('bob@example.com', { favouritecolour: 'green' });
      const patched = await tenant.scim('PATCH', `/Users/${ada}`, patchOp([{ op: 'replace', value: { shoeSize: 9 } }]));
      assert.equal(patched.status, 200, patched.text);
      const seen = await undeclared(tenant);
      const byPath = new Map(seen.map((entry) => [entry.path, entry]));
      assert.deepEqual([...byPath.keys()].sort(), ['favouriteColour', 'shoeSize', `${ACME}:costCenter`]);
      assert.equal(byPath.get('favouriteColour')?.count, 2, 'compared case-insensitively, first spelling kept');
      assert.equal(byPath.get('favouriteColour')?.lastUserId, bob);
      await tenant.settings({ extensionSchemas: [{ id: ACME, attributes: [{ name: 'costCenter', type: 'string' }] }] });
      assert.ok(!(await undeclared(tenant)).some((entry) => entry.path === `${ACME}:costCenter`), 'declared now');
      assert.equal((await tenant.scim('POST', '/Users', userBody('carol@example.com', { [ACME]: { costCenter: '7' } }))).status, 201);
      assert.ok(!(await undeclared(tenant)).some((entry) => entry.path.startsWith(ACME)));
    });

    it('answers 404 with an error body for an unknown tenant', async () => {
      assertApiError(await admin('GET', '/tenants/no-such-tenant/undeclared-attributes'), 'NOT_FOUND');
    });

    it('keeps the identity provider picked for the guide as a tenant setting, and refuses an unknown one', async () => {
      const tenant = await newTenant(server, admin);
      assert.equal(((await tenant.api('GET', '')).body.settings as { identityProvider: unknown }).identityProvider, null);
      assert.equal((await tenant.settings({ identityProvider: 'okta' })).identityProvider, 'okta');
      assertApiError(await tenant.api('PATCH', '', { settings: { identityProvider: 'myspace' } }), 'VALIDATION_FAILED');
    });
  });
}
